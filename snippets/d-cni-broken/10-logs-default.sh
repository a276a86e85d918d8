#!/usr/bin/env bash
# Without -c: kubectl picks the app container, which never started.
kubectl logs -n demo deploy/latecomer
