#!/usr/bin/env bash
# Wait for the pod, then for its validator to be in back-off.
kubectl wait -n demo deployment/latecomer --timeout=60s \
  --for=jsonpath='{.status.replicas}'=1
kubectl wait -n demo pod -l app=latecomer --timeout=120s \
  --for=jsonpath='{.status.initContainerStatuses[0].state.waiting.reason}'=CrashLoopBackOff
