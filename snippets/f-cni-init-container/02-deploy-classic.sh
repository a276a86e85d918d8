#!/usr/bin/env bash
# Classic, under the CNI plugin: an init container needs the network.
kubectl apply -f snippets/apps/init-classic.yaml
kubectl wait -n demo deployment/init-classic --timeout=60s \
  --for=jsonpath='{.status.replicas}'=1
kubectl wait -n demo pod -l app=init-classic --timeout=120s \
  --for=jsonpath='{.status.initContainerStatuses[0].state.waiting.reason}'=CrashLoopBackOff
