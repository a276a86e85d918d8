#!/usr/bin/env bash
# Pinned Linkerd CLI from its GitHub release, digest-checked.
set -euo pipefail
case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) asset="linkerd2-cli-${LINKERD_VERSION}-linux-amd64" ;;
  Linux/aarch64 | Linux/arm64) asset="linkerd2-cli-${LINKERD_VERSION}-linux-arm64" ;;
  Darwin/x86_64) asset="linkerd2-cli-${LINKERD_VERSION}-darwin" ;;
  Darwin/arm64) asset="linkerd2-cli-${LINKERD_VERSION}-darwin-arm64" ;;
  *) echo "no Linkerd CLI build for $(uname -sm)" >&2; exit 1 ;;
esac
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
curl --proto '=https' --tlsv1.2 -fsSL --retry 3 -o "$tmp" \
  "https://github.com/linkerd/linkerd2/releases/download/${LINKERD_VERSION}/${asset}"
# With GITHUB_TOKEN set (CI), the API call is authenticated: shared runner IPs hit the anonymous limit.
auth=()
if [ -n "${GITHUB_TOKEN:-}" ]; then auth=(-H "Authorization: Bearer ${GITHUB_TOKEN}"); fi
expected=$(curl --proto '=https' --tlsv1.2 -fsSL --retry 3 ${auth[@]+"${auth[@]}"} \
  "https://api.github.com/repos/linkerd/linkerd2/releases/tags/${LINKERD_VERSION}" |
  jq -r --arg name "$asset" '.assets[] | select(.name == $name) | .digest')
actual="sha256:$( (sha256sum "$tmp" 2>/dev/null || shasum -a 256 "$tmp") | cut -d' ' -f1)"
if [ "$actual" != "$expected" ]; then
  echo "digest mismatch for ${asset}: got ${actual}, the release lists ${expected}" >&2
  exit 1
fi
mkdir -p "${HOME}/.linkerd2/bin"
install -m 0755 "$tmp" "${HOME}/.linkerd2/bin/linkerd-${LINKERD_VERSION}"
ln -sf "linkerd-${LINKERD_VERSION}" "${HOME}/.linkerd2/bin/linkerd"
echo "${asset}: ${actual} OK"
