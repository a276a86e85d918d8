#!/usr/bin/env bash
# The same Job with native sidecars.
kubectl apply -f snippets/apps/job-native.yaml
