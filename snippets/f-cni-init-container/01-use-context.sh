#!/usr/bin/env bash
# Point kubectl and linkerd at startup-cni.
kubectl config use-context kind-startup-cni
