#!/usr/bin/env bash
# The control plane, told that linkerd-cni writes the rules.
linkerd install --linkerd-cni-enabled |
  kubectl apply -f -
