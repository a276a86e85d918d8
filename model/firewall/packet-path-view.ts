import type { Journey } from './connection'
import type { Rule } from './rule'
import type { RuleSet } from './rule-set'
import type { TrafficCase } from './traffic-cases'
import type { Hook } from './traverse'
import { matchSummary, ruleName, targetSummary } from './describe'
import { findChain } from './rule-set'

// What the packet-path slide draws: each hook's rules (a jump is unfolded into the chain it
// jumps to), and for the chosen connection which rules matched, which didn't, and which it
// never reached.

export type RowState = 'matched' | 'missed' | 'not-reached'

export interface RuleRow {
  key: string
  chain: string
  position: number
  name: string
  summary: string
  target: string
  state: RowState
}

export interface HookView {
  hook: Hook
  title: string
  /** Whether the chosen connection entered the nat table through this hook. */
  active: boolean
  rows: RuleRow[]
}

export const HOOK_ORDER: readonly Hook[] = ['PREROUTING', 'OUTPUT']

/** Which traffic enters the nat table through each hook, in a word. */
export const HOOK_DIRECTIONS: Record<Hook, string> = {
  PREROUTING: 'In',
  OUTPUT: 'Out',
}

function rowFor(rule: Rule, chain: string, position: number, journey?: Journey): RuleRow {
  const visit = journey?.traversal.visits.find(v => v.rule === rule)
  return {
    key: `${chain}-${position}`,
    chain,
    position,
    name: ruleName(rule, position),
    summary: matchSummary(rule),
    target: targetSummary(rule),
    state: visit ? (visit.matched ? 'matched' : 'missed') : 'not-reached',
  }
}

export function hookViews(ruleSet: RuleSet, journey?: Journey): HookView[] {
  return HOOK_ORDER.map((hook) => {
    const builtIn = findChain(ruleSet, hook)
    const rows: RuleRow[] = []
    const jumps: string[] = []
    builtIn?.rules.forEach((rule, index) => {
      const target = rule.target.kind === 'jump' ? findChain(ruleSet, rule.target.chain) : undefined
      if (!target) {
        rows.push(rowFor(rule, hook, index + 1, journey))
        return
      }
      jumps.push(target.name)
      target.rules.forEach((inner, innerIndex) => rows.push(rowFor(inner, target.name, innerIndex + 1, journey)))
    })
    return {
      hook,
      title: [hook, ...jumps].join(' → '),
      active: journey?.hook === hook,
      rows,
    }
  })
}

export function connectionSummary(trafficCase: TrafficCase, journey: Journey): string {
  const { origin, destination, port } = trafficCase.connection
  const who = origin.from === 'inside'
    ? `${origin.who} (UID ${origin.uid})`
    : `${origin.who} (${origin.source})`
  const via = journey.packet.outInterface ? `, routed via ${journey.packet.outInterface}` : ''
  return `${who} → ${destination}:${port}${via}`
}

export interface CaseGroup {
  /** The label's part before the colon: `In`, `Out`, `CNI, classic`. */
  name: string
  cases: { id: string, choice: string }[]
}

/**
 * The cases as the chooser offers them: consecutive cases whose labels share the part before
 * the colon form one group, each case named by the rest of its label (or its `choice`).
 */
export function caseGroups(cases: readonly TrafficCase[]): CaseGroup[] {
  const groups: CaseGroup[] = []
  for (const trafficCase of cases) {
    const colon = trafficCase.label.indexOf(': ')
    const name = colon < 0 ? '' : trafficCase.label.slice(0, colon)
    const choice = trafficCase.choice ?? trafficCase.label.slice(colon < 0 ? 0 : colon + 2)
    const last = groups.at(-1)
    if (last && last.name === name) {
      last.cases.push({ id: trafficCase.id, choice })
    }
    else {
      groups.push({
        name,
        cases: [{ id: trafficCase.id, choice }],
      })
    }
  }
  return groups
}

export const RULE_SOURCE_LABELS = {
  'linkerd-init': 'linkerd-init\'s rules, from its log',
  'linkerd-cni': 'linkerd-cni\'s rules, from its chart defaults',
} as const
