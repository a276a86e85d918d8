#!/usr/bin/env bash
# Container order and restarts of the client container.
kubectl get pods -n demo -l 'app in (client-noawait,client-await)' \
  -o custom-columns='APP:.metadata.labels.app,'\
'MAIN:.spec.containers[*].name,'\
'RESTARTS:.status.containerStatuses[?(@.name=="client")].restartCount'
