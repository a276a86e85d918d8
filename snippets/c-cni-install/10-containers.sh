#!/usr/bin/env bash
# The validator takes the place of linkerd-init.
kubectl get pods -n demo -l app=server -o custom-columns=\
'INIT:.spec.initContainers[*].name,MAIN:.spec.containers[*].name'
