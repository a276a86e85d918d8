#!/usr/bin/env bash
# Control plane, 2.20 defaults: native sidecars, linkerd-init, nft.
linkerd install | kubectl apply -f -
