#!/usr/bin/env bash
# The job container has exited; the proxy has not.
kubectl get pods -n demo -l batch.kubernetes.io/job-name=job-classic
