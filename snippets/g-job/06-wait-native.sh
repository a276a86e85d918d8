#!/usr/bin/env bash
# It completes: the kubelet stops the sidecar after the job.
kubectl wait -n demo job/job-native \
  --for=condition=complete --timeout=60s
