import type { Scenario, StepSpec } from '../snippet-check/scenarios'
import type { TalkState } from './talk-files'
import { readFileSync } from 'node:fs'
import { groupsFor } from '../snippet-check/live-check'
import { appliedManifests } from './stage-commands'
import { kindContext } from './talk-steps'

// What `npm run stage` and its --check, --reset and --down do, worked out from the scenarios,
// .talk/state.json and which kind clusters exist, without running anything. The steps to stage
// are declared by the snippets (`stage: true`); nothing here names a scenario or a step.

export interface TalkCluster {
  cluster: string
  /** Its scenarios in the order they run on it (`after:`). */
  chain: Scenario[]
  /** Every staged step of the chain, in order; the creating step among them. */
  staged: StepSpec[]
  creating: StepSpec
}

/** The talk clusters (the `cluster:` of the live scenarios) with their staged steps. */
export function talkClusters(scenarios: readonly Scenario[]): TalkCluster[] {
  return groupsFor(scenarios, scenarios.filter(s => s.live).map(s => s.name)).map(({ cluster, chain }) => {
    const staged = chain.flatMap(scenario => scenario.steps.filter(step => step.staged))
    const creating = staged.find(step => step.createsCluster && step.live)
    if (!creating)
      throw new Error(`no staged step creates cluster ${cluster}: one of ${chain.map(s => s.manifest).join(', ')} needs a step with creates-cluster: true and stage: true`)
    return { cluster, chain, staged, creating }
  })
}

export function liveStaged(steps: readonly StepSpec[]): StepSpec[] {
  return steps.filter(step => step.live)
}

export interface ClusterPlan {
  cluster: TalkCluster
  /** Recorded, but kind no longer has it: its staged steps were forgotten. */
  vanished: boolean
  /** Before the steps: create the cluster, or delete what a creation that never finished left, then create it. */
  action: 'none' | 'create' | 'recreate'
  /** Staged steps still to run, in order: every live one that has not passed. */
  todo: StepSpec[]
  /** Live staged steps that have passed. */
  done: number
}

/** Removes every staged step of these steps from the state. */
export function forgetSteps(state: TalkState, steps: readonly StepSpec[]): TalkState {
  const ids = new Set(steps.map(step => step.id))
  return {
    clusters: state.clusters,
    staged: Object.fromEntries(Object.entries(state.staged).filter(([id]) => !ids.has(id))),
  }
}

/**
 * What staging does next on each cluster. A cluster the state does not record has no passed
 * steps, whatever the state says; a recorded cluster that kind no longer has is forgotten.
 */
export function planStage(clusters: readonly TalkCluster[], state: TalkState, present: ReadonlySet<string>): { state: TalkState, plans: ClusterPlan[] } {
  let next: TalkState = {
    clusters: { ...state.clusters },
    staged: { ...state.staged },
  }
  const plans = clusters.map((talk): ClusterPlan => {
    const recorded = talk.cluster in next.clusters
    const vanished = recorded && !present.has(talk.cluster)
    if (vanished)
      delete next.clusters[talk.cluster]
    if (!recorded || vanished)
      next = forgetSteps(next, talk.staged)
    const passed = (step: StepSpec) => step.id in next.staged
    // A step that never runs live (skipped, with its why) is shown again only on a run that reaches it.
    const lastPassed = talk.staged.findLastIndex(passed)
    const remaining = talk.staged.filter((step, index) => !passed(step) && (step.live || index > lastPassed))
    const todo = remaining.some(step => step.live) ? remaining : []
    const creates = todo.includes(talk.creating)
    return {
      cluster: talk,
      vanished,
      action: !creates ? 'none' : talk.cluster in next.clusters ? 'recreate' : 'create',
      todo,
      done: liveStaged(talk.staged).filter(passed).length,
    }
  })
  return { state: next, plans }
}

/**
 * Why staging must not start: a kind cluster, or a context in the presenter's kubeconfig, with
 * a talk cluster's name that staging did not create. Staging would otherwise run its steps on
 * someone else's cluster, or overwrite their context.
 */
export function refusals(clusters: readonly TalkCluster[], state: TalkState, present: ReadonlySet<string>, contexts: ReadonlyMap<string, string>): string[] {
  const problems: string[] = []
  for (const { cluster } of clusters) {
    if (cluster in state.clusters)
      continue
    if (present.has(cluster))
      problems.push(`a kind cluster named ${cluster} exists, but npm run stage did not create it (.talk/state.json does not record it). If it is a leftover of an earlier talk, delete it (kind delete cluster --name ${cluster}); then run npm run stage again.`)
    const context = kindContext(cluster)
    if (contexts.has(context))
      problems.push(`your kubeconfig ${contexts.get(context)} already has a context ${context}, which npm run stage did not create. If it is stale, remove it (kubectl config delete-context ${context}); then run npm run stage again.`)
  }
  return problems
}

export interface ResetPlan {
  scenario: Scenario
  cluster: string
  /**
   * Its `reset:` steps (scenario.yaml), in order: run first, to undo what a rehearsal changed
   * beyond the manifests (d-cni-broken: repair the chain, recreate the stuck pods). Not staged steps:
   * never recorded in .talk/state.json.
   */
  undo: StepSpec[]
  /** Demo manifests any of the scenario's steps applies: deleted after the undo steps. */
  manifests: string[]
  /** Its staged steps, run again in order. */
  steps: StepSpec[]
  /** Scenarios staged after it on the same cluster, whose state the reset may change. */
  later: Scenario[]
}

/** What `--reset <name>` does, or why it can't (the CLI exits 2 on it, having changed nothing). */
export function planReset(scenarios: readonly Scenario[], clusters: readonly TalkCluster[], state: TalkState, name: string, readScript = (step: StepSpec) => readFileSync(step.script, 'utf8')): ResetPlan | { error: string } {
  const resettable = clusters.flatMap(c => c.chain)
    .filter(s => s.steps.some(step => step.staged && step.live) && !s.steps.some(step => step.createsCluster))
    .map(s => s.name)
  const scenario = scenarios.find(s => s.name === name)
  if (!scenario)
    return { error: `unknown scenario "${name}" (scenarios that can be reset: ${resettable.join(', ')})` }
  const talk = clusters.find(c => c.chain.includes(scenario))
  const steps = liveStaged(scenario.steps.filter(step => step.staged))
  if (!talk || steps.length === 0) {
    const why = scenario.live
      ? `no step in ${scenario.manifest} has stage: true`
      : `it never runs live: ${scenario.why}`
    return { error: `${name} has no staged steps (${why}), so there is nothing to reset` }
  }
  if (steps.includes(talk.creating))
    return { error: `${name} creates ${talk.cluster} (${talk.creating.id}), so its starting state is no cluster at all: npm run stage -- --down, then npm run stage` }
  if (!(talk.cluster in state.clusters) || !(talk.creating.id in state.staged))
    return { error: `${talk.cluster} is not staged yet (npm run stage has not created it): run npm run stage first` }
  const index = talk.chain.indexOf(scenario)
  for (const earlier of talk.chain.slice(0, index)) {
    const missing = liveStaged(earlier.steps.filter(step => step.staged)).find(step => !(step.id in state.staged))
    if (missing)
      return { error: `${name} runs after ${earlier.name}, whose staged step ${missing.id} has not passed: run npm run stage first` }
  }
  return {
    scenario,
    cluster: talk.cluster,
    undo: scenario.reset,
    manifests: [...new Set(scenario.steps.flatMap(step => appliedManifests(readScript(step))))],
    steps,
    later: talk.chain.slice(index + 1).filter(s => s.steps.some(step => step.id in state.staged)),
  }
}

/** The step `--check` runs for a scenario: its first step on stage with an expected output. */
export function checkStepOf(scenario: Scenario): StepSpec | undefined {
  return scenario.steps.find(step => !step.staged && step.live && step.compare !== 'none' && step.expectedOutput)
}

export type Check
  = | { kind: 'cluster' | 'nodes' | 'linkerd', cluster: string, label: string }
    | { kind: 'staged', cluster: string, scenario: Scenario, steps: StepSpec[], label: string }
    | { kind: 'next-step', cluster: string, scenario: Scenario, step: StepSpec, label: string }

/** Every check `--check` makes, in order: each cluster, then each of its scenarios. */
export function checkList(clusters: readonly TalkCluster[]): Check[] {
  return clusters.flatMap(({ cluster, chain }): Check[] => [
    { kind: 'cluster', cluster, label: `${cluster}: staged by npm run stage and running` },
    { kind: 'nodes', cluster, label: `${cluster}: nodes Ready` },
    { kind: 'linkerd', cluster, label: `${cluster}: Linkerd healthy` },
    ...chain.flatMap((scenario): Check[] => {
      const steps = liveStaged(scenario.steps.filter(step => step.staged))
      const next = checkStepOf(scenario)
      return [
        ...(steps.length > 0
          ? [
              {
                kind: 'staged' as const,
                cluster,
                scenario,
                steps,
                label: `${scenario.name}: ${steps.length} staged steps passed`,
              },
            ]
          : []),
        ...(next
          ? [
              {
                kind: 'next-step' as const,
                cluster,
                scenario,
                step: next,
                label: `${scenario.name}: ready for ${next.id}`,
              },
            ]
          : []),
      ]
    }),
  ])
}

export interface DownPlan {
  /** Recorded and still there: deleted. */
  remove: string[]
  /** Recorded but already gone: only forgotten. */
  gone: string[]
  /** A talk cluster's name that stage did not create: left alone. */
  foreign: string[]
}

export function planDown(clusters: readonly TalkCluster[], state: TalkState, present: ReadonlySet<string>): DownPlan {
  const recorded = Object.keys(state.clusters)
  return {
    remove: recorded.filter(cluster => present.has(cluster)),
    gone: recorded.filter(cluster => !present.has(cluster)),
    foreign: clusters.map(c => c.cluster).filter(cluster => present.has(cluster) && !(cluster in state.clusters)),
  }
}
