#!/usr/bin/env bash
# The proxy's entry: restartPolicy Always, startupProbe on /ready.
kubectl get pods -n demo -l app=server \
  -o jsonpath='{.items[0].spec.initContainers[1]}' |
  jq '{name, restartPolicy, startupProbe}'
