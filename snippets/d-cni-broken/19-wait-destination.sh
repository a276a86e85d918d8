#!/usr/bin/env bash
# Wait for the destination rollout to complete: its new pod is ready.
kubectl wait -n linkerd deployment/linkerd-destination --timeout=120s \
  --for=jsonpath='{.status.conditions[?(@.type=="Progressing")].reason}'=NewReplicaSetAvailable
