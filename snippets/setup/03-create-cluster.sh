#!/usr/bin/env bash
# First cluster, startup-init: kind config plus pinned node image.
kind create cluster --name startup-init \
  --config snippets/kind/cluster.yaml \
  --image "$KIND_NODE_IMAGE" --wait 120s
