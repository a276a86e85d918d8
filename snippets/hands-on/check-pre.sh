#!/usr/bin/env bash
# Before installing anything: can this cluster run Linkerd?
linkerd check --pre
