#!/usr/bin/env bash
# The replacement pod starts normally.
kubectl get pods -n demo -l app=latecomer
