#!/usr/bin/env bash
# A one-shot Job in classic mode.
kubectl apply -f snippets/apps/job-classic.yaml
