import type { Journey, Outcome } from './connection'
import type { Rule } from './rule'
import { targetName } from './rule'

/** A rule's name as linkerd's comment gives it, or its position when it has none. */
export function ruleName(rule: Rule, position: number): string {
  return rule.comment?.replace(/^proxy-init\//, '') ?? `rule ${position}`
}

/** The rules that matched, in order: `OUTPUT → PROXY_INIT_OUTPUT: ignore-loopback → RETURN`. */
export function matchedPath(journey: Journey): string[] {
  return journey.traversal.visits
    .filter(visit => visit.matched)
    .map((visit) => {
      const target = visit.rule.target
      const to = target.kind === 'redirect' ? `REDIRECT ${target.toPort}` : targetName(target)
      return target.kind === 'jump'
        ? `${visit.chain} → ${to}`
        : `${visit.chain}: ${ruleName(visit.rule, visit.position)} → ${to}`
    })
}

export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'delivered':
      return `${outcome.listener.owner} on ${outcome.address}:${outcome.port}`
    case 'refused':
      return `refused: nothing listens on ${outcome.address}:${outcome.port}`
    case 'leaves-pod':
      return `not redirected: leaves the pod for ${outcome.address}:${outcome.port}`
    case 'dropped':
      return 'dropped'
  }
}

function ports(rule: Rule): string {
  return (rule.match.destinationPorts ?? []).map(r => (r.from === r.to
    ? `${r.from}`
    : `${r.from}-${r.to}`)).join(', ')
}

/** What a rule matches, in words short enough for one line of a slide. */
export function matchSummary(rule: Rule): string {
  const { match } = rule
  const parts: string[] = []
  const not = (negated: boolean) => (negated ? 'not ' : '')
  if (match.uidOwner !== undefined)
    parts.push(`owner UID ${match.uidOwner}`)
  if (match.gidOwner !== undefined)
    parts.push(`owner GID ${match.gidOwner}`)
  if (match.outInterface)
    parts.push(`out via ${not(match.outInterface.negated)}${match.outInterface.name}`)
  if (match.inInterface)
    parts.push(`in via ${not(match.inInterface.negated)}${match.inInterface.name}`)
  if (match.source)
    parts.push(`from ${not(match.source.negated)}${match.source.cidr}`)
  if (match.destination)
    parts.push(`to ${not(match.destination.negated)}${match.destination.cidr}`)
  if (match.destinationPorts) {
    parts.push(`${match.protocol === 'udp' ? 'UDP' : 'TCP'} to port ${ports(rule)}`)
  }
  else if (match.protocol === 'tcp' || match.protocol === 'udp') {
    parts.push(parts.length === 0 ? `any ${match.protocol.toUpperCase()}` : match.protocol.toUpperCase())
  }
  return parts.length === 0 ? 'every packet' : parts.join(', ')
}

export function targetSummary(rule: Rule): string {
  return rule.target.kind === 'redirect' ? `REDIRECT to ${rule.target.toPort}` : targetName(rule.target)
}

/** The chains a connection went through, and the rule that settled it (or the policy). */
export function journeySummary(journey: Journey): { chains: string, decidedBy: string } {
  const matched = journey.traversal.visits.filter(visit => visit.matched)
  const jumps = matched.filter(visit => visit.rule.target.kind === 'jump').map(visit => targetName(visit.rule.target))
  const last = matched.filter(visit => visit.rule.target.kind !== 'jump').at(-1)
  return {
    chains: [journey.hook, ...jumps].join(' → '),
    decidedBy: last
      ? `${ruleName(last.rule, last.position)}: ${targetSummary(last.rule)}`
      : `${journey.hook} policy`,
  }
}
