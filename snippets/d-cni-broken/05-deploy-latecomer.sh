#!/usr/bin/env bash
# A new meshed pod, set up by the broken chain.
kubectl apply -f snippets/apps/latecomer.yaml
