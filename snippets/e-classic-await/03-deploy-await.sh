#!/usr/bin/env bash
# Classic, proxy-await enabled (the default).
kubectl apply -f snippets/apps/client-await.yaml
kubectl rollout status deployment/client-await -n demo --timeout=180s
