#!/usr/bin/env bash
# Wait for a healthy control plane (retries up to 5 minutes).
linkerd check
