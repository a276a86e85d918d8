#!/usr/bin/env bash
# linkerd-init's log: the nat rules it appended (comments cut).
kubectl logs -n demo deploy/server -c linkerd-init |
  grep -o 'iptables-nft -t nat -A [^"]*' | sed 's/ -m comment .*//'
