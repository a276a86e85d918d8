#!/usr/bin/env bash
# Second cluster, startup-cni (kind switches kubectl to it).
kind create cluster --name startup-cni \
  --config snippets/kind/cluster.yaml \
  --image "$KIND_NODE_IMAGE" --wait 120s
