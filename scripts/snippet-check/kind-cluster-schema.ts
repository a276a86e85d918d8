import type { Problem } from '../core/problem'
import { isMap, isScalar } from 'yaml'
import { parseYaml } from '../core/yaml'

// JSON Schema for kind's Cluster config, kind.x-k8s.io/v1alpha4, written from kind's own Go types
// at v0.31.0 (kubernetes-sigs/kind, pkg/apis/config/v1alpha4/types.go): every field name, and the
// enum values its comments and constants list. Unknown fields are errors, as they are for kind.

const patchJson6902 = {
  type: 'object',
  additionalProperties: false,
  required: ['group', 'version', 'kind', 'patch'],
  properties: {
    group: { type: 'string' },
    version: { type: 'string' },
    kind: { type: 'string' },
    patch: { type: 'string' },
  },
} as const

const stringMap = {
  type: 'object',
  additionalProperties: { type: 'string' },
} as const

export const KIND_CLUSTER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'apiVersion'],
  properties: {
    kind: { const: 'Cluster' },
    apiVersion: { const: 'kind.x-k8s.io/v1alpha4' },
    name: { type: 'string' },
    nodes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          role: {
            enum: ['control-plane', 'worker'],
          },
          image: { type: 'string' },
          labels: stringMap,
          extraMounts: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                containerPath: { type: 'string' },
                hostPath: { type: 'string' },
                readOnly: { type: 'boolean' },
                selinuxRelabel: { type: 'boolean' },
                propagation: {
                  enum: ['None', 'HostToContainer', 'Bidirectional'],
                },
              },
            },
          },
          extraPortMappings: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                containerPort: { type: 'integer' },
                hostPort: { type: 'integer' },
                listenAddress: { type: 'string' },
                protocol: {
                  enum: ['TCP', 'UDP', 'SCTP'],
                },
              },
            },
          },
          kubeadmConfigPatches: {
            type: 'array',
            items: { type: 'string' },
          },
          kubeadmConfigPatchesJSON6902: { type: 'array', items: patchJson6902 },
        },
      },
    },
    networking: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ipFamily: {
          enum: ['ipv4', 'ipv6', 'dual'],
        },
        apiServerPort: { type: 'integer' },
        apiServerAddress: { type: 'string' },
        podSubnet: { type: 'string' },
        serviceSubnet: { type: 'string' },
        disableDefaultCNI: { type: 'boolean' },
        kubeProxyMode: {
          enum: ['iptables', 'ipvs', 'nftables', 'none'],
        },
        dnsSearch: {
          type: 'array',
          items: { type: 'string' },
        },
      },
    },
    featureGates: {
      type: 'object',
      additionalProperties: { type: 'boolean' },
    },
    runtimeConfig: stringMap,
    kubeadmConfigPatches: {
      type: 'array',
      items: { type: 'string' },
    },
    kubeadmConfigPatchesJSON6902: { type: 'array', items: patchJson6902 },
    containerdConfigPatches: {
      type: 'array',
      items: { type: 'string' },
    },
    containerdConfigPatchesJSON6902: {
      type: 'array',
      items: { type: 'string' },
    },
  },
} as const

// kubeadmConfigPatches are strings, so the schema above cannot see into them. kind applies each
// as a merge patch to the kubeadm config documents it generates whose `kind` (and `apiVersion`,
// when the patch sets one) match, and silently drops a patch that matches none (kind v0.31.0,
// pkg/internal/patch/kubeyaml.go and resource.go; documents from
// pkg/cluster/internal/kubeadm/config.go). The KubeletConfiguration field this repository sets
// is checked as the kubelet would check it.

/** The documents kind v0.31.0 generates for kubeadm (ConfigTemplateBetaV3). */
export const KIND_KUBEADM_DOCUMENTS: Readonly<Record<string, string>> = {
  ClusterConfiguration: 'kubeadm.k8s.io/v1beta3',
  InitConfiguration: 'kubeadm.k8s.io/v1beta3',
  JoinConfiguration: 'kubeadm.k8s.io/v1beta3',
  KubeletConfiguration: 'kubelet.config.k8s.io/v1beta1',
  KubeProxyConfiguration: 'kubeproxy.config.k8s.io/v1alpha1',
}

/** Where the kubelet's configurable crash-loop back-off cap is on by default (feature gate KubeletCrashLoopBackOffMax, beta). */
const CRASH_LOOP_BACK_OFF_MAX_DEFAULT_ON = [1, 35] as const

/** A problem inside one patch: `line` is 1-based inside the patch text, which its caller places. */
export type PatchProblem = Omit<Problem, 'file'>

const GO_DURATION_UNITS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
}

/** Seconds in a Go duration string (`10s`, `1m30s`, `1.5s`), as time.ParseDuration reads it; undefined if it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0')
    return 0
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|[smh])/y
  let total = 0
  let index = 0
  const sign = text.startsWith('-') ? -1 : 1
  if (/^[+-]/.test(text))
    index = 1
  if (index >= text.length)
    return undefined
  while (index < text.length) {
    part.lastIndex = index
    const match = part.exec(text)
    if (!match)
      return undefined
    total += Number(match[1]) * GO_DURATION_UNITS[match[2]!]!
    index = part.lastIndex
  }
  return sign * total
}

function minorAtLeast(version: string | undefined, [major, minor]: readonly [number, number]): boolean | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? '')
  if (!match)
    return undefined
  return Number(match[1]) > major || (Number(match[1]) === major && Number(match[2]) >= minor)
}

/**
 * Problems in one kubeadmConfigPatches entry: YAML that does not parse, a patch that matches
 * no document kind generates, and in a KubeletConfiguration patch a `crashLoopBackOff` the
 * kubelet would refuse (it validates maxContainerRestartPeriod to 1s..300s, and refuses the
 * field while the KubeletCrashLoopBackOffMax gate is off, its default before Kubernetes 1.35).
 */
export function kubeadmPatchProblems(text: string, context: { kubernetesVersion?: string, featureGates?: unknown }): PatchProblem[] {
  const { source, syntaxProblem } = parseYaml('kubeadmConfigPatches', text)
  const lineOf = (node: unknown) => source.lineOf(node)
  if (syntaxProblem) {
    return [{ line: syntaxProblem.line, message: `kubeadmConfigPatches: ${syntaxProblem.message}` }]
  }
  const document = source.document
  const top = document.contents
  if (!isMap(top)) {
    return [{ line: 1, message: 'kubeadmConfigPatches: a patch must be a mapping with a kind' }]
  }
  const kindNode = top.get('kind', true)
  const kind = isScalar(kindNode) ? String(kindNode.value) : undefined
  const known = Object.keys(KIND_KUBEADM_DOCUMENTS)
  if (!kind || !KIND_KUBEADM_DOCUMENTS[kind]) {
    return [
      {
        line: lineOf(kindNode ?? top),
        message: `kubeadmConfigPatches: kind ${kind ?? '(none)'} matches no document kind v0.31.0 generates (${known.join(', ')}), so kind would silently apply it to nothing`,
      },
    ]
  }
  const apiVersionNode = top.get('apiVersion', true)
  if (isScalar(apiVersionNode) && String(apiVersionNode.value) !== KIND_KUBEADM_DOCUMENTS[kind]) {
    return [
      {
        line: lineOf(apiVersionNode),
        message: `kubeadmConfigPatches: ${kind} is generated as ${KIND_KUBEADM_DOCUMENTS[kind]}, so a patch for ${String(apiVersionNode.value)} matches nothing (leave apiVersion out, or use that one)`,
      },
    ]
  }
  if (kind !== 'KubeletConfiguration' || !top.has('crashLoopBackOff'))
    return []
  const problems: PatchProblem[] = []
  const backOff = top.get('crashLoopBackOff', true)
  if (!isMap(backOff)) {
    return [
      {
        line: lineOf(backOff),
        message: 'KubeletConfiguration crashLoopBackOff must be a mapping: {maxContainerRestartPeriod: 10s}',
      },
    ]
  }
  for (const pair of backOff.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : ''
    if (key !== 'maxContainerRestartPeriod') {
      problems.push({
        line: lineOf(pair.key),
        message: `KubeletConfiguration crashLoopBackOff: unknown field "${key}" (known: maxContainerRestartPeriod)`,
      })
      continue
    }
    const value = isScalar(pair.value) ? pair.value.value : undefined
    const seconds = typeof value === 'string' ? parseGoDuration(value) : undefined
    if (seconds === undefined) {
      problems.push({
        line: lineOf(pair.value),
        message: `KubeletConfiguration crashLoopBackOff.maxContainerRestartPeriod must be a duration such as 10s, got ${JSON.stringify(value)}`,
      })
    }
    else if (seconds < 1 || seconds > 300) {
      problems.push({
        line: lineOf(pair.value),
        message: `KubeletConfiguration crashLoopBackOff.maxContainerRestartPeriod must be between 1s and 300s, got ${String(value)}`,
      })
    }
    const gates = context.featureGates as Record<string, unknown> | undefined
    const gateOn = gates?.KubeletCrashLoopBackOffMax === true
      || (gates?.KubeletCrashLoopBackOffMax !== false && minorAtLeast(context.kubernetesVersion, CRASH_LOOP_BACK_OFF_MAX_DEFAULT_ON) === true)
    if (!gateOn) {
      problems.push({
        line: lineOf(pair.key),
        message: `KubeletConfiguration crashLoopBackOff.maxContainerRestartPeriod needs the KubeletCrashLoopBackOffMax feature gate, on by default only from Kubernetes 1.35 (the node image is ${context.kubernetesVersion ?? 'not pinned'}): the kubelet would refuse its config; turn the gate on in featureGates, or pin a newer node image`,
      })
    }
  }
  return problems
}
