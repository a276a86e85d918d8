#!/usr/bin/env bash
# fetch's last exit code (curl: 7 = could not connect).
kubectl get pods -n demo -l app=init-classic -o custom-columns=\
'INIT:.status.initContainerStatuses[0].name,'\
'LAST-EXIT:.status.initContainerStatuses[0].lastState.terminated.exitCode'
