// How proxy-init v2.4.9 turns its configuration into iptables commands
// (pkg/iptables/iptables.go, ConfigureFirewall, for a fresh pod network namespace and the
// redirect-all mode Linkerd uses). linkerd-init and linkerd-cni share this code; they differ
// in the configuration their charts give it.

export interface FirewallConfig {
  /** Ports or `low-high` ranges, as the flags and annotations take them. */
  inboundPortsToIgnore: string[]
  outboundPortsToIgnore: string[]
  subnetsToIgnore: string[]
  proxyInboundPort: number
  proxyOutboundPort: number
  proxyUid: number
  /** Omitted from the rules when negative (the chart's default is -1). */
  proxyGid: number
}

/** linkerd-init's arguments from the 2.20 control-plane chart defaults (`_proxy-init.tpl`). */
export const LINKERD_INIT_DEFAULTS: FirewallConfig = {
  inboundPortsToIgnore: ['4190', '4191', '4567', '4568'],
  outboundPortsToIgnore: ['4567', '4568'],
  subnetsToIgnore: [],
  proxyInboundPort: 4143,
  proxyOutboundPort: 4140,
  proxyUid: 2102,
  proxyGid: -1,
}

/** linkerd-cni's conflist from the 2.20 linkerd2-cni chart defaults (`cni-plugin.yaml`). */
export const LINKERD_CNI_DEFAULTS: FirewallConfig = {
  inboundPortsToIgnore: ['4191', '4190'],
  outboundPortsToIgnore: [],
  subnetsToIgnore: [],
  proxyInboundPort: 4143,
  proxyOutboundPort: 4140,
  proxyUid: 2102,
  proxyGid: -1,
}

const MULTIPORT_LIMIT = 15
const REDIRECT_CHAIN = 'PROXY_INIT_REDIRECT'
const OUTPUT_CHAIN = 'PROXY_INIT_OUTPUT'

function comment(name: string): string[] {
  return ['-m', 'comment', '--comment', `proxy-init/${name}`]
}

/** Groups ports into multiport lists of at most 15 references (a range counts twice). */
export function multiportGroups(portsOrRanges: readonly string[]): string[][] {
  const groups: string[][] = []
  let group: string[] = []
  let count = 0
  for (const item of portsOrRanges) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(item)
    if (!match)
      throw new Error(`"${item}" is not a port or low-high range`)
    const [, low, high = low] = match
    const references = low === high ? 1 : 2
    if (count + references > MULTIPORT_LIMIT) {
      groups.push(group)
      group = []
      count = 0
    }
    group.push(low === high ? low! : `${low}:${high}`)
    count += references
  }
  if (portsOrRanges.length > 0)
    groups.push(group)
  return groups
}

function ignorePorts(chain: string, portsOrRanges: readonly string[]): string[][] {
  return multiportGroups(portsOrRanges).map(group => [
    '-t',
    'nat',
    '-A',
    chain,
    '-p',
    'tcp',
    '--match',
    'multiport',
    '--dports',
    group.join(','),
    '-j',
    'RETURN',
    ...comment(`ignore-port-${group.join(',')}`),
  ])
}

/** The `-N` and `-A` argument lists linkerd-init runs, in its order, without the binary. */
export function proxyInitCommands(config: FirewallConfig): string[][] {
  const inbound: string[][] = [
    ['-t', 'nat', '-N', REDIRECT_CHAIN],
    ...ignorePorts(REDIRECT_CHAIN, config.inboundPortsToIgnore),
    ...config.subnetsToIgnore.map(subnet => [
      '-t',
      'nat',
      '-A',
      REDIRECT_CHAIN,
      '-p',
      'all',
      '-j',
      'RETURN',
      '-s',
      subnet,
      ...comment(`ignore-subnet-${subnet}`),
    ]),
    [
      '-t',
      'nat',
      '-A',
      REDIRECT_CHAIN,
      '-p',
      'tcp',
      '-j',
      'REDIRECT',
      '--to-port',
      String(config.proxyInboundPort),
      ...comment('redirect-all-incoming-to-proxy-port'),
    ],
    ['-t', 'nat', '-A', 'PREROUTING', '-j', REDIRECT_CHAIN, ...comment('install-proxy-init-prerouting')],
  ]
  const outbound: string[][] = [
    ['-t', 'nat', '-N', OUTPUT_CHAIN],
    ...(config.proxyUid > 0
      ? [
          [
            '-t',
            'nat',
            '-A',
            OUTPUT_CHAIN,
            '-m',
            'owner',
            '--uid-owner',
            String(config.proxyUid),
            '-j',
            'RETURN',
            ...comment('ignore-proxy-user-id'),
          ],
        ]
      : []),
    ...(config.proxyGid > 0
      ? [
          [
            '-t',
            'nat',
            '-A',
            OUTPUT_CHAIN,
            '-m',
            'owner',
            '--gid-owner',
            String(config.proxyGid),
            '-j',
            'RETURN',
            ...comment('ignore-proxy-group-id'),
          ],
        ]
      : []),
    ['-t', 'nat', '-A', OUTPUT_CHAIN, '-o', 'lo', '-j', 'RETURN', ...comment('ignore-loopback')],
    ...ignorePorts(OUTPUT_CHAIN, config.outboundPortsToIgnore),
    [
      '-t',
      'nat',
      '-A',
      OUTPUT_CHAIN,
      '-p',
      'tcp',
      '-j',
      'REDIRECT',
      '--to-port',
      String(config.proxyOutboundPort),
      ...comment('redirect-all-outgoing-to-proxy-port'),
    ],
    ['-t', 'nat', '-A', 'OUTPUT', '-j', OUTPUT_CHAIN, ...comment('install-proxy-init-output')],
  ]
  return [...inbound, ...outbound]
}
