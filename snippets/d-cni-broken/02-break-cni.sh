#!/usr/bin/env bash
# Reinstall the CNI plugin into a dir containerd never reads.
linkerd install-cni --dest-cni-net-dir /etc/cni/wrong.d |
  kubectl apply -f -
