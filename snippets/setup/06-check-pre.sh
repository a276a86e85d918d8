#!/usr/bin/env bash
# Can this cluster run Linkerd? (short: only problems listed)
linkerd check --pre --output short
