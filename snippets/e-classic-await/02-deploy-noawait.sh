#!/usr/bin/env bash
# Classic, proxy-await disabled: the client may start first.
kubectl apply -f snippets/apps/client-noawait.yaml
kubectl rollout status deployment/client-noawait -n demo --timeout=180s
