#!/usr/bin/env bash
# A new pod gets a new sandbox: the repaired chain runs for it.
kubectl delete pod -n demo -l app=latecomer
kubectl wait -n demo deployment/latecomer --for=condition=Available \
  --timeout=120s
