import type { RuleSet } from './rule-set'
import type { Hook, Packet, Traversal } from './traverse'
import { inCidr, traverse } from './traverse'

// What happens to a connection's first packet in a pod: the route the kernel picks (which
// decides `-o lo`), the nat table, and then which socket, if any, accepts it.

export interface Listener {
  /** `0.0.0.0` for every local address, or one address. */
  address: string
  port: number
  owner: string
}

export interface PodNetwork {
  podIp: string
  listeners: Listener[]
}

export type Origin
  = | { from: 'outside', source: string, who: string }
    | { from: 'inside', uid: number, who: string }

export interface Connection {
  origin: Origin
  destination: string
  port: number
  /** TCP unless said otherwise; listeners below are TCP sockets. */
  protocol?: 'tcp' | 'udp'
}

export type Outcome
  = | { kind: 'delivered', address: string, port: number, listener: Listener }
    | { kind: 'refused', address: string, port: number }
    | { kind: 'leaves-pod', address: string, port: number }
    | { kind: 'dropped' }

export interface Journey {
  hook: Hook
  packet: Packet
  traversal: Traversal
  outcome: Outcome
}

export function isLocalAddress(address: string, pod: PodNetwork): boolean {
  return address === pod.podIp || inCidr(address, '127.0.0.0/8')
}

function packetFor(connection: Connection, pod: PodNetwork): { hook: Hook, packet: Packet } {
  const { origin, destination, port } = connection
  const protocol = connection.protocol ?? 'tcp'
  if (origin.from === 'outside') {
    if (destination !== pod.podIp)
      throw new Error(`a connection from outside the pod must go to the pod IP ${pod.podIp}, not ${destination}`)
    return {
      hook: 'PREROUTING',
      packet: {
        protocol,
        source: origin.source,
        destination,
        destinationPort: port,
        inInterface: 'eth0',
      },
    }
  }
  // The kernel routes every local address, the pod IP included, through the loopback device.
  const outInterface = isLocalAddress(destination, pod) ? 'lo' : 'eth0'
  const source = inCidr(destination, '127.0.0.0/8') ? '127.0.0.1' : pod.podIp
  return {
    hook: 'OUTPUT',
    packet: {
      protocol,
      source,
      destination,
      destinationPort: port,
      uid: origin.uid,
      outInterface,
    },
  }
}

function deliver(address: string, port: number, pod: PodNetwork): Outcome {
  if (!isLocalAddress(address, pod))
    return { kind: 'leaves-pod', address, port }
  const listener = pod.listeners.find(l => l.port === port && (l.address === '0.0.0.0' || l.address === address))
  return listener
    ? {
        kind: 'delivered',
        address,
        port,
        listener,
      }
    : { kind: 'refused', address, port }
}

export function followConnection(ruleSet: RuleSet, pod: PodNetwork, connection: Connection): Journey {
  const { hook, packet } = packetFor(connection, pod)
  const traversal = traverse(ruleSet, hook, packet)
  const { verdict } = traversal
  let outcome: Outcome
  if (verdict.kind === 'drop') {
    outcome = { kind: 'dropped' }
  }
  else if (verdict.kind === 'redirect') {
    // REDIRECT rewrites the destination to the incoming interface's primary address for
    // packets from outside, and to 127.0.0.1 for locally generated ones.
    const address = hook === 'PREROUTING' ? pod.podIp : '127.0.0.1'
    outcome = deliver(address, verdict.toPort, pod)
  }
  else {
    outcome = deliver(packet.destination, packet.destinationPort, pod)
  }
  return { hook, packet, traversal, outcome }
}
