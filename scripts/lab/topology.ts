import { execa } from 'execa'

// Two network namespaces joined by a veth pair: "pod" (where the rules go) and "node" (every
// other host the cases talk to). Nothing is created in the host's own namespace: both veth
// ends are created directly inside the lab's namespaces.

export const LAB_PREFIX = 'l5dlab-'
export const POD_NS = `${LAB_PREFIX}pod`
export const NODE_NS = `${LAB_PREFIX}node`

export interface TopologyPlan {
  podAddress: string
  gateway: string
  prefixLength: number
  /** Addresses of the lab's test hosts, all in the node namespace. */
  remoteHosts: string[]
}

/** The ip(8) commands that build the topology, in order (pure, for tests and dry runs). */
export function topologyCommands(plan: TopologyPlan): string[][] {
  const commands: string[][] = [
    ['netns', 'add', POD_NS],
    ['netns', 'add', NODE_NS],
    ['-n', POD_NS, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'veth-pod', 'netns', NODE_NS],
    ['-n', POD_NS, 'link', 'set', 'lo', 'up'],
    ['-n', NODE_NS, 'link', 'set', 'lo', 'up'],
    ['-n', POD_NS, 'addr', 'add', `${plan.podAddress}/${plan.prefixLength}`, 'dev', 'eth0'],
    ['-n', NODE_NS, 'addr', 'add', `${plan.gateway}/${plan.prefixLength}`, 'dev', 'veth-pod'],
    ['-n', POD_NS, 'link', 'set', 'eth0', 'up'],
    ['-n', NODE_NS, 'link', 'set', 'veth-pod', 'up'],
    ['-n', POD_NS, 'route', 'add', 'default', 'via', plan.gateway],
  ]
  for (const host of plan.remoteHosts) {
    if (host !== plan.gateway) {
      commands.push(['-n', NODE_NS, 'addr', 'add', `${host}/32`, 'dev', 'lo'])
    }
  }
  return commands
}

export async function leftoverNamespaces(): Promise<string[]> {
  const result = await execa('ip', ['netns', 'list'], { reject: false })
  return result.stdout.split('\n').map(line => line.split(' ')[0] ?? '').filter(name => name.startsWith(LAB_PREFIX))
}

export function removalCommand(namespaces: readonly string[]): string {
  return namespaces.map(ns => `sudo ip netns delete ${ns}`).join(' && ')
}

export async function buildTopology(plan: TopologyPlan): Promise<void> {
  for (const args of topologyCommands(plan)) {
    const result = await execa('ip', args, { reject: false })
    if (result.exitCode !== 0)
      throw new Error(`ip ${args.join(' ')}: ${result.stderr.trim()}`)
  }
}

/** Deleting a namespace deletes its veth end too, and the peer with it. */
export async function destroyTopology(): Promise<string[]> {
  const failures: string[] = []
  for (const ns of await leftoverNamespaces()) {
    const result = await execa('ip', ['netns', 'delete', ns], { reject: false })
    if (result.exitCode !== 0)
      failures.push(`ip netns delete ${ns}: ${result.stderr.trim()}`)
  }
  return failures
}
