#!/usr/bin/env bash
# Remove both clusters.
kind delete cluster --name startup-init
kind delete cluster --name startup-cni
