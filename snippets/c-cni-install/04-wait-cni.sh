#!/usr/bin/env bash
# Wait for the linkerd-cni DaemonSet pod on the node.
kubectl rollout status daemonset/linkerd-cni -n linkerd-cni \
  --timeout=120s
