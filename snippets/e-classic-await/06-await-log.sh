#!/usr/bin/env bash
# The await client got its answer on the first try.
kubectl logs -n demo deploy/client-await -c client
