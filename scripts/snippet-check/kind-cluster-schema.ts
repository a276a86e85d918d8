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
