#!/usr/bin/env bash
# A meshed pod won't start: set NS and POD, then one question per command.

# Init containers: in which order, which are sidecars?
kubectl get pod -n "$NS" "$POD" -o jsonpath='{range .spec.initContainers[*]}{.name}{"\t"}{.restartPolicy}{"\n"}{end}'
# How did each last end? (95: the CNI validator)
kubectl get pod -n "$NS" "$POD" -o jsonpath='{range .status.initContainerStatuses[*]}{.name}{"\t"}{.lastState.terminated.exitCode}{"\n"}{end}'
# What did linkerd-init write? (CNI: the validator's log)
kubectl logs -n "$NS" "$POD" -c linkerd-init
# What happened, in order?
kubectl events -n "$NS" --for "pod/$POD"
# Do Linkerd's checks agree?
linkerd check --proxy --namespace "$NS"
