#!/usr/bin/env bash
# linkerd-cni is back at the end of the chain.
docker exec startup-cni-control-plane \
  cat /etc/cni/net.d/10-kindnet.conflist | jq -r '.plugins[].type'
