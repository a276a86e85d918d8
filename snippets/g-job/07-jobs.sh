#!/usr/bin/env bash
# Side by side.
kubectl get jobs -n demo
