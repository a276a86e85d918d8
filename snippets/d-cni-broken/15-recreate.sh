#!/usr/bin/env bash
# A new pod gets a new sandbox: the repaired chain runs for it.
kubectl delete pod -n demo -l app=latecomer
kubectl rollout status deployment/latecomer -n demo --timeout=120s
