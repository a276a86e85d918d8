#!/usr/bin/env bash
# Wait for one more validator run after the repair, and its failure.
before=$(kubectl get pods -n demo -l app=latecomer \
  -o jsonpath='{.items[0].status.initContainerStatuses[0].restartCount}')
kubectl wait -n demo pod -l app=latecomer --timeout=330s \
  --for=jsonpath='{.status.initContainerStatuses[0].restartCount}'="$((before + 1))"
kubectl wait -n demo pod -l app=latecomer --timeout=60s \
  --for=jsonpath='{.status.initContainerStatuses[0].state.waiting.reason}'=CrashLoopBackOff
