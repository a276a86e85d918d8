#!/usr/bin/env bash
# Point kubectl and linkerd at startup-init.
kubectl config use-context kind-startup-init
