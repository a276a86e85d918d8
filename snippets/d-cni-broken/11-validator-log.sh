#!/usr/bin/env bash
# With -c: the validator's last run (DEBUG lines dropped).
kubectl logs -n demo deploy/latecomer -c linkerd-network-validator --previous |
  grep -v DEBUG
