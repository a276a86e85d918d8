#!/usr/bin/env bash
# The CLIs at their pinned versions (linkerd from ~/.linkerd2/bin).
linkerd version --client --short
kind version -q
