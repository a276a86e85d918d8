#!/usr/bin/env bash
# The destination controller's new pod is stuck; the old one keeps serving.
kubectl get pods -n linkerd -l linkerd.io/control-plane-component=destination \
  --sort-by=.metadata.creationTimestamp
