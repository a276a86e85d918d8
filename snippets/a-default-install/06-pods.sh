#!/usr/bin/env bash
# READY counts the native-sidecar proxy next to the app.
kubectl get pods -n demo -l app=server
