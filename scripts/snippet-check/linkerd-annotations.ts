// The linkerd.io and config.*.linkerd.io keys that Linkerd 2.20 (edge-26.6.3) reads or writes
// on workloads. Source: linkerd/linkerd2 at tag version-2.20, pkg/k8s/labels.go, the constants
// built from Prefix ("linkerd.io") and ProxyConfigAnnotationsPrefix{,Alpha,Beta} (lines 23-338).
// Keys only the control plane or extensions use on their own objects are left out.

export const LINKERD_VERSION_OF_LIST = 'edge-26.6.3'

export const LINKERD_KEYS: ReadonlySet<string> = new Set([
  'linkerd.io/inject',
  'linkerd.io/created-by',
  'linkerd.io/proxy-version',
  'linkerd.io/trust-root-sha256',
  'linkerd.io/control-plane-ns',
  'linkerd.io/control-plane-component',
  'linkerd.io/workload-ns',
  'linkerd.io/proxy-deployment',
  'linkerd.io/proxy-replicaset',
  'linkerd.io/proxy-replicationcontroller',
  'linkerd.io/proxy-job',
  'linkerd.io/proxy-daemonset',
  'linkerd.io/proxy-statefulset',
  'linkerd.io/proxy-cronjob',
  'linkerd.io/extension',
  ...[
    'proxy-image',
    'image-pull-policy',
    'debug-image',
    'debug-image-version',
    'debug-image-pull-policy',
    'control-port',
    'skip-inbound-ports',
    'opaque-ports',
    'skip-outbound-ports',
    'skip-subnets',
    'inbound-port',
    'admin-port',
    'outbound-port',
    'pod-inbound-ports',
    'proxy-cpu-request',
    'proxy-memory-request',
    'proxy-ephemeral-storage-request',
    'proxy-cpu-limit',
    'proxy-cpu-ratio-limit',
    'proxy-memory-limit',
    'proxy-ephemeral-storage-limit',
    'proxy-uid',
    'proxy-gid',
    'proxy-admin-shutdown',
    'proxy-log-level',
    'proxy-log-http-headers',
    'proxy-log-format',
    'enable-external-profiles',
    'proxy-version',
    'proxy-require-identity-inbound-ports',
    'proxy-metrics-hostname-labels',
    'proxy-outbound-connect-timeout',
    'proxy-inbound-connect-timeout',
    'proxy-outbound-discovery-cache-unused-timeout',
    'proxy-inbound-discovery-cache-unused-timeout',
    'proxy-disable-outbound-protocol-detect-timeout',
    'proxy-disable-inbound-protocol-detect-timeout',
    'enable-gateway',
    'enable-debug-sidecar',
    'close-wait-timeout',
    'proxy-enable-native-sidecar',
    'proxy-await',
    'default-inbound-policy',
    'access-log',
    'shutdown-grace-period',
    'proxy-additional-env',
  ].map(name => `config.linkerd.io/${name}`),
  // Still only under the alpha prefix in 2.20.
  'config.alpha.linkerd.io/proxy-wait-before-exit-seconds',
])

/** Names 2.20 still reads but that have a current name (pkg/k8s/labels.go lines 284-291). */
export const DEPRECATED_LINKERD_KEYS: ReadonlyMap<string, string> = new Map([
  ['config.alpha.linkerd.io/proxy-enable-native-sidecar', 'config.linkerd.io/proxy-enable-native-sidecar'],
  ['config.beta.linkerd.io/proxy-enable-native-sidecar', 'config.linkerd.io/proxy-enable-native-sidecar'],
])

export type KeyVerdict
  = | { kind: 'known' }
    | { kind: 'deprecated', current: string }
    | { kind: 'unknown' }

export function isLinkerdKey(key: string): boolean {
  return /^(?:[a-z0-9.-]+\.)?linkerd\.io\//.test(key)
}

export function judgeLinkerdKey(key: string): KeyVerdict {
  const current = DEPRECATED_LINKERD_KEYS.get(key)
  if (current)
    return { kind: 'deprecated', current }
  return LINKERD_KEYS.has(key) ? { kind: 'known' } : { kind: 'unknown' }
}
