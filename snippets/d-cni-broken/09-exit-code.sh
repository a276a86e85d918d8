#!/usr/bin/env bash
# How the validator ended last time.
kubectl get pods -n demo -l app=latecomer -o custom-columns=\
'INIT:.status.initContainerStatuses[0].name,'\
'LAST-EXIT:.status.initContainerStatuses[0].lastState.terminated.exitCode'
