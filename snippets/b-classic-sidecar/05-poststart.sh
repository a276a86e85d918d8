#!/usr/bin/env bash
# The proxy's postStart hook: linkerd-await.
kubectl get pods -n demo -l app=server-classic -o jsonpath=\
'{.items[0].spec.containers[0].lifecycle.postStart.exec.command}'
echo
