#!/usr/bin/env bash
# The CNI plugin goes in first, before the control plane.
linkerd install-cni | kubectl apply -f -
