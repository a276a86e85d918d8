#!/usr/bin/env bash
# Classic: stuck in init; native: running.
kubectl get pods -n demo -l 'app in (init-classic,init-native)'
