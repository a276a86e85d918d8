#!/usr/bin/env bash
# Gateway API CRDs: linkerd install needs them first.
kubectl apply --server-side -f "https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_VERSION}/standard-install.yaml"
