#!/usr/bin/env bash
# The Gateway API CRDs again, on the new cluster.
kubectl apply --server-side -f "https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_VERSION}/standard-install.yaml"
