#!/usr/bin/env bash
# It never completes: this wait times out and exits 1.
kubectl wait -n demo job/job-classic \
  --for=condition=complete --timeout=60s
