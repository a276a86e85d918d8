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
      const to = target.kind === 'redirect'
        ? `REDIRECT ${target.toPort}`
        : targetName(target)
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
