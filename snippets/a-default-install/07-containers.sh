#!/usr/bin/env bash
# Native: the proxy is init container 2; the app is alone.
kubectl get pods -n demo -l app=server -o custom-columns=\
'INIT:.spec.initContainers[*].name,MAIN:.spec.containers[*].name'
