#!/usr/bin/env bash
# The validator failed, so nothing after it runs.
kubectl get pods -n demo -l app=latecomer
