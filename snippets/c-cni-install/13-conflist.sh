#!/usr/bin/env bash
# The plugins in kindnet's chain, in order.
docker exec startup-cni-control-plane \
  cat /etc/cni/net.d/10-kindnet.conflist | jq -r '.plugins[].type'
