#!/usr/bin/env bash
# The Linkerd CRDs.
linkerd install --crds | kubectl apply -f -
