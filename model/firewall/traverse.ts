import type { PortRange, Rule, RuleMatch } from './rule'
import type { RuleSet } from './rule-set'
import { findChain } from './rule-set'

// The nat table sees only the first packet of a connection; whatever it decides (redirect or
// not) conntrack applies to the rest. So one packet per connection is enough to model.

export type Hook = 'PREROUTING' | 'OUTPUT'

export interface Packet {
  protocol: 'tcp' | 'udp'
  source: string
  destination: string
  destinationPort: number
  /** Owner of the sending socket; only locally generated packets (OUTPUT) have one. */
  uid?: number
  gid?: number
  inInterface?: string
  outInterface?: string
}

export interface RuleVisit {
  chain: string
  /** 1-based position in its chain, as `iptables -L --line-numbers` counts. */
  position: number
  rule: Rule
  matched: boolean
}

export type Verdict
  = | { kind: 'accept', by: 'policy' | 'rule' }
    | { kind: 'drop' }
    | { kind: 'redirect', toPort: number }

export interface Traversal {
  visits: RuleVisit[]
  verdict: Verdict
  /** The rule that decided, or undefined when the built-in chain's policy did. */
  decidedBy?: RuleVisit
}

export function ipv4ToNumber(address: string): number {
  const parts = address.split('.')
  if (parts.length !== 4 || parts.some(p => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    throw new Error(`"${address}" is not an IPv4 address`)
  return parts.reduce((value, part) => value * 256 + Number(part), 0)
}

export function inCidr(address: string, cidr: string): boolean {
  const [base, bitsText = '32'] = cidr.split('/')
  const bits = Number(bitsText)
  if (!Number.isInteger(bits) || bits < 0 || bits > 32)
    throw new Error(`"${cidr}" is not an IPv4 CIDR`)
  const size = 2 ** (32 - bits)
  return Math.floor(ipv4ToNumber(address) / size) === Math.floor(ipv4ToNumber(base!) / size)
}

function portInRanges(port: number, ranges: readonly PortRange[]): boolean {
  return ranges.some(range => port >= range.from && port <= range.to)
}

export function ruleMatches(match: RuleMatch, packet: Packet): boolean {
  if (match.protocol && match.protocol !== 'all' && match.protocol !== packet.protocol)
    return false
  if (match.destinationPorts && !portInRanges(packet.destinationPort, match.destinationPorts))
    return false
  if (match.uidOwner !== undefined && packet.uid !== match.uidOwner)
    return false
  if (match.gidOwner !== undefined && packet.gid !== match.gidOwner)
    return false
  if (match.source && inCidr(packet.source, match.source.cidr) === match.source.negated)
    return false
  if (match.destination && inCidr(packet.destination, match.destination.cidr) === match.destination.negated)
    return false
  if (match.inInterface && (packet.inInterface === match.inInterface.name) === match.inInterface.negated)
    return false
  if (match.outInterface && (packet.outInterface === match.outInterface.name) === match.outInterface.negated)
    return false
  return true
}

const MAX_VISITS = 1000

/** Walks a packet through the nat table from a hook, the way netfilter does. */
export function traverse(ruleSet: RuleSet, hook: Hook, packet: Packet): Traversal {
  const start = findChain(ruleSet, hook)
  if (!start || start.policy === null)
    throw new Error(`the rule set has no built-in ${hook} chain`)
  const visits: RuleVisit[] = []
  const stack: { chain: string, next: number }[] = [{ chain: hook, next: 0 }]

  while (stack.length > 0) {
    const frame = stack.at(-1)!
    const chain = findChain(ruleSet, frame.chain)!
    const rule = chain.rules[frame.next]
    if (!rule) {
      stack.pop()
      continue
    }
    frame.next++
    const visit: RuleVisit = {
      chain: chain.name,
      position: frame.next,
      rule,
      matched: ruleMatches(rule.match, packet),
    }
    visits.push(visit)
    if (visits.length > MAX_VISITS)
      throw new Error(`more than ${MAX_VISITS} rules visited: is there a jump loop?`)
    if (!visit.matched)
      continue
    const { target } = rule
    switch (target.kind) {
      case 'jump':
        if (!findChain(ruleSet, target.chain))
          throw new Error(`jump to undefined chain ${target.chain}`)
        stack.push({ chain: target.chain, next: 0 })
        break
      case 'return':
        if (stack.length === 1) {
          return {
            visits,
            verdict: policyVerdict(start.policy),
          }
        }
        stack.pop()
        break
      case 'accept':
        return {
          visits,
          verdict: { kind: 'accept', by: 'rule' },
          decidedBy: visit,
        }
      case 'redirect':
        return {
          visits,
          verdict: { kind: 'redirect', toPort: target.toPort },
          decidedBy: visit,
        }
    }
  }
  return {
    visits,
    verdict: policyVerdict(start.policy),
  }
}

function policyVerdict(policy: 'ACCEPT' | 'DROP'): Verdict {
  return policy === 'ACCEPT' ? { kind: 'accept', by: 'policy' } : { kind: 'drop' }
}
