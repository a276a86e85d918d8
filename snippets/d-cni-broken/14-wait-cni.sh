#!/usr/bin/env bash
# Wait for the repaired DaemonSet pod.
kubectl rollout status daemonset/linkerd-cni -n linkerd-cni \
  --timeout=120s
