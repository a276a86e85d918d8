#!/usr/bin/env bash
# Namespace demo (inject: enabled) and the server; wait for it.
kubectl apply -f snippets/apps/namespace.yaml \
  -f snippets/apps/server.yaml
kubectl rollout status deployment/server -n demo --timeout=120s
