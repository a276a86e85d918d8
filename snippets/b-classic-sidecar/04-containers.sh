#!/usr/bin/env bash
# Classic: one init container; the proxy leads the containers.
kubectl get pods -n demo -l app=server-classic -o custom-columns=\
'INIT:.spec.initContainers[*].name,MAIN:.spec.containers[*].name'
