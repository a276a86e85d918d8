#!/usr/bin/env bash
# One node, running the pinned Kubernetes version.
kubectl get nodes -o custom-columns='NAME:.metadata.name,VERSION:.status.nodeInfo.kubeletVersion'
