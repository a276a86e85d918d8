#!/usr/bin/env bash
# The same init container with native sidecars.
kubectl apply -f snippets/apps/init-native.yaml
kubectl rollout status deployment/init-native -n demo --timeout=120s
