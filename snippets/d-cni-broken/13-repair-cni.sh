#!/usr/bin/env bash
# Repair: reinstall with the default directories.
linkerd install-cni | kubectl apply -f -
