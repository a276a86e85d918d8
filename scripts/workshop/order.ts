import type { GuideScenario } from './input'

// The order of the guide: the talk's. The deck runs `setup`, then the lettered scenarios in
// letter order (a-default-install, b-classic-sidecar, ...), and attendees end with `cleanup`;
// any other scenario (the troubleshooting checklist) is not part of the sequence and goes to an
// appendix. `after:` in scenario.yaml is the order staging and the live check use, one cluster at
// a time; where it differs from the talk's, the guide says so.

export const FIRST = 'setup'
export const LAST = 'cleanup'

export interface GuideOrder {
  /** setup, a, b, ..., then cleanup: what an attendee runs, in order. */
  sequence: GuideScenario[]
  /** Scenarios outside the hands-on sequence. */
  appendix: GuideScenario[]
}

/** `a-default-install` → `a`; undefined for a scenario without a letter. */
export function letterOf(name: string): string | undefined {
  return /^([a-z])-/.exec(name)?.[1]
}

export function guideOrder(scenarios: readonly GuideScenario[]): GuideOrder {
  const byName = (a: GuideScenario, b: GuideScenario) => a.name.localeCompare(b.name)
  const first = scenarios.filter(s => s.name === FIRST)
  const lettered = scenarios.filter(s => s.live && s.name !== FIRST && letterOf(s.name)).sort(byName)
  const otherLive = scenarios.filter(s => s.live && s.name !== FIRST && !letterOf(s.name)).sort(byName)
  const last = scenarios.filter(s => s.name === LAST)
  const sequence = [...first, ...lettered, ...otherLive, ...last]
  return {
    sequence,
    appendix: scenarios.filter(s => !sequence.includes(s)).sort(byName),
  }
}

/** `after:` closed transitively, nearest last: everything a scenario needs to have run. */
export function needs(scenarios: readonly GuideScenario[], scenario: GuideScenario): GuideScenario[] {
  const byName = new Map(scenarios.map(s => [s.name, s]))
  const found: GuideScenario[] = []
  const visit = (name: string) => {
    const other = byName.get(name)
    if (!other || found.includes(other))
      return
    for (const dependency of other.after)
      visit(dependency)
    found.push(other)
  }
  for (const dependency of scenario.after)
    visit(dependency)
  return found
}

export interface OrderNote {
  scenario: GuideScenario
  /** Named in its `after:` (directly or through another), but later in the guide. */
  later: GuideScenario[]
}

/** Scenarios whose `after:` names one that the talk's order runs later. */
export function orderNotes(scenarios: readonly GuideScenario[], sequence: readonly GuideScenario[]): OrderNote[] {
  return sequence.flatMap((scenario) => {
    const later = needs(scenarios, scenario).filter(dependency => sequence.indexOf(dependency) > sequence.indexOf(scenario))
    return later.length > 0 ? [{ scenario, later }] : []
  })
}

/**
 * One cluster at a time, each in `after:` order (what staging and the live check run): the
 * scenarios of the sequence that run live, grouped by cluster in order of first appearance.
 */
export function clusterRuns(scenarios: readonly GuideScenario[], sequence: readonly GuideScenario[]): Array<{ cluster: string, scenarios: GuideScenario[] }> {
  const runs: Array<{ cluster: string, scenarios: GuideScenario[] }> = []
  for (const scenario of sequence) {
    if (!scenario.live || !scenario.cluster)
      continue
    let run = runs.find(r => r.cluster === scenario.cluster)
    if (!run) {
      run = { cluster: scenario.cluster, scenarios: [] }
      runs.push(run)
    }
    for (const dependency of [...needs(scenarios, scenario), scenario]) {
      if (!run.scenarios.includes(dependency))
        run.scenarios.push(dependency)
    }
  }
  return runs
}
