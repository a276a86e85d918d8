#!/usr/bin/env bash
# The no-await client's first run (exists only if it lost the race).
kubectl logs -n demo deploy/client-noawait -c client --previous
