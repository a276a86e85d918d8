#!/usr/bin/env bash
# Meanwhile the destination controller restarts under the broken chain.
kubectl rollout restart deployment/linkerd-destination -n linkerd
