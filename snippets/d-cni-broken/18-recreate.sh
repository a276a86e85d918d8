#!/usr/bin/env bash
# New pods get new sandboxes: the repaired chain runs for them.
kubectl delete pod -n demo -l app=latecomer
kubectl delete pod -n linkerd --field-selector=status.phase=Pending
kubectl wait -n demo deployment/latecomer --for=condition=Available \
  --timeout=120s
