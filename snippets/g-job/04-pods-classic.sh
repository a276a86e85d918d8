#!/usr/bin/env bash
# The job container has exited; the proxy has not.
kubectl get pods -n demo -l job-name=job-classic
