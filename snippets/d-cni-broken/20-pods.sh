#!/usr/bin/env bash
# The replacement pods start normally.
kubectl get pods -n demo -l app=latecomer
kubectl rollout status deployment/linkerd-destination -n linkerd --timeout=10s
