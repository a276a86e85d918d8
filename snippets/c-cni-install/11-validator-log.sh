#!/usr/bin/env bash
# The validator reached its own listener: redirection works.
kubectl logs -n demo deploy/server -c linkerd-network-validator |
  grep -v DEBUG
