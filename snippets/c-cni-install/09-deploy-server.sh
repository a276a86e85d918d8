#!/usr/bin/env bash
# The same namespace and server as on the first cluster.
kubectl apply -f snippets/apps/namespace.yaml \
  -f snippets/apps/server.yaml
kubectl rollout status deployment/server -n demo --timeout=120s
