#!/usr/bin/env bash
# Wait for the validator's next run, started after the repair.
before=$(kubectl get pods -n demo -l app=latecomer \
  -o jsonpath='{.items[0].status.initContainerStatuses[0].restartCount}')
kubectl wait -n demo pod -l app=latecomer --timeout=45s \
  --for=jsonpath='{.status.initContainerStatuses[0].restartCount}'="$((before + 1))"
