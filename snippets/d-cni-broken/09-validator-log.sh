#!/usr/bin/env bash
# The failed run's log (DEBUG lines dropped).
kubectl logs -n demo deploy/latecomer -c linkerd-network-validator --previous |
  grep -v DEBUG
