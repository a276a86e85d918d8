#!/usr/bin/env bash
# The Gateway API CRDs again, on the new cluster.
base=https://github.com/kubernetes-sigs/gateway-api/releases/download
kubectl apply --server-side -f "$base/v1.2.1/standard-install.yaml"
