#!/usr/bin/env bash
# Gateway API CRDs v1.2.1: linkerd install needs them first.
base=https://github.com/kubernetes-sigs/gateway-api/releases/download
kubectl apply --server-side -f "$base/v1.2.1/standard-install.yaml"
