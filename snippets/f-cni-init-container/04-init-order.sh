#!/usr/bin/env bash
# Init container order in both modes.
kubectl get pods -n demo -l 'app in (init-classic,init-native)' \
  -o custom-columns='APP:.metadata.labels.app,'\
'INIT:.spec.initContainers[*].name'
