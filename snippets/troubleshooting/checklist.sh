#!/usr/bin/env bash
# A meshed pod will not start: one question per command. Set NS and POD first.

# Which init containers, in which order, and which are sidecars (restartPolicy Always)?
kubectl get pod -n "$NS" "$POD" -o jsonpath='{range .spec.initContainers[*]}{.name}{"\t"}{.restartPolicy}{"\n"}{end}'
# How did each init container last end? (exit 95 is the CNI network validator)
kubectl get pod -n "$NS" "$POD" -o jsonpath='{range .status.initContainerStatuses[*]}{.name}{"\t"}{.lastState.terminated.exitCode}{"\n"}{end}'
# Which rules did linkerd-init write? (under the CNI plugin: the validator's log instead)
kubectl logs -n "$NS" "$POD" -c linkerd-init
# What happened, in order? (FailedPostStartHook, BackOff, Unhealthy probes)
kubectl events -n "$NS" --for "pod/$POD"
# Does Linkerd agree that the proxies in this namespace are healthy?
linkerd check --proxy --namespace "$NS"
