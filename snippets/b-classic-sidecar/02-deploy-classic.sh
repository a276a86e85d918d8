#!/usr/bin/env bash
# The server again, native sidecars off by pod annotation.
kubectl apply -f snippets/apps/server-classic.yaml
kubectl rollout status deployment/server-classic -n demo --timeout=120s
