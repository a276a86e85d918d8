#!/usr/bin/env bash
# Pre-checks for CNI mode: the DaemonSet must be ready.
linkerd check --pre --linkerd-cni-enabled --output short
