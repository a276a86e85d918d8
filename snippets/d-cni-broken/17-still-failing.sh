#!/usr/bin/env bash
# Same pod, same sandbox, same missing rules.
kubectl get pods -n demo -l app=latecomer
