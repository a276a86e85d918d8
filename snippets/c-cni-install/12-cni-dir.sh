#!/usr/bin/env bash
# The node's CNI config directory.
docker exec startup-cni-control-plane ls /etc/cni/net.d
