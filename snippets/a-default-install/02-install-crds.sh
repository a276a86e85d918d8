#!/usr/bin/env bash
# The Linkerd CRDs go in first.
linkerd install --crds | kubectl apply -f -
