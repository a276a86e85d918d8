#!/usr/bin/env bash
# The old pod unchains linkerd-cni as it stops.
kubectl rollout status daemonset/linkerd-cni -n linkerd-cni \
  --timeout=120s
