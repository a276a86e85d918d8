#!/usr/bin/env bash
# Wait for a healthy control plane.
linkerd check
