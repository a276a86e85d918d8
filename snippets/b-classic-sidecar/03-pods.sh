#!/usr/bin/env bash
# Still 2/2: now two regular containers.
kubectl get pods -n demo -l app=server-classic
