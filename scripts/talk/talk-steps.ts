import type { StepEnvironment, StepResult } from '../snippet-check/run-step'
import type { Scenario, StepSpec } from '../snippet-check/scenarios'
import { readFileSync } from 'node:fs'
import process from 'node:process'
import { execa } from 'execa'
import { parse } from 'yaml'
import { writeFileAtomically } from '../core/files'
import { assertStepStaysInside, ContextSafetyError } from '../snippet-check/cluster-lifecycle'
import { toolEnv } from '../snippet-check/live-check'
import { refusedStep, runStep } from '../snippet-check/run-step'
import { keepOutput, talkPaths } from './talk-files'

// One way to run a hands-on step during the talk, shared by `stage`, the slides' run controls
// (`present`) and the terminal driver (`demo`): against the talk cluster of its scenario, with a
// kubeconfig that holds that cluster's context and nothing else, judged as the live check judges
// it, and its real output kept under .talk/outputs/.

export interface TalkStepOptions {
  root: string
  pins: Readonly<Record<string, string>>
  signal?: AbortSignal
  onOutput?: (chunk: string) => void
  /** Tests pass the stand-in tools' PATH and HOME here; the default is this process's environment. */
  env?: NodeJS.ProcessEnv
  /**
   * The kubeconfig the step gets. Default: the talk kubeconfig, .talk/kubeconfig/<cluster>.yaml
   * (kind's context for the cluster, written by writeTalkKubeconfig). Only `npm run demo
   * --context NAME` passes another: its copy of the person's context.
   */
  kubeconfig?: string
}

export function kindContext(cluster: string): string {
  return `kind-${cluster}`
}

/**
 * The steps a run control or the driver runs for `stepName`: the hidden steps that come right
 * before it and are not staged (a wait, a context switch, which no slide shows), then the step.
 */
export function stepsForRun(scenario: Scenario, stepName: string): StepSpec[] {
  const index = scenario.steps.findIndex(step => step.name === stepName)
  if (index < 0)
    throw new Error(`no step ${stepName} in ${scenario.name}`)
  let first = index
  while (first > 0 && scenario.steps[first - 1]!.hidden && !scenario.steps[first - 1]!.staged)
    first--
  return scenario.steps.slice(first, index + 1)
}

export function talkStepEnvironment(scenario: Scenario, options: TalkStepOptions): StepEnvironment {
  const environment: StepEnvironment = {
    cwd: options.root,
    env: {
      ...toolEnv(options.env ?? process.env),
      LANG: 'C.UTF-8',
      ...options.pins,
      KUBECONFIG: options.kubeconfig ?? talkPaths(options.root).kubeconfig(scenario.cluster!),
    },
    clusterNames: new Map(),
  }
  if (options.signal)
    environment.signal = options.signal
  if (options.onOutput)
    environment.onOutput = options.onOutput
  return environment
}

/** Runs one step on its scenario's talk cluster; a step that could reach another cluster is refused unrun. */
export async function runTalkStep(scenario: Scenario, step: StepSpec, options: TalkStepOptions): Promise<StepResult> {
  if (!scenario.cluster)
    throw new Error(`${scenario.name} runs on no cluster`)
  try {
    assertStepStaysInside(kindContext(scenario.cluster), readFileSync(step.script, 'utf8'))
  }
  catch (error) {
    if (!(error instanceof ContextSafetyError))
      throw error
    return refusedStep(step.id, error.message)
  }
  const result = await runStep(step, talkStepEnvironment(scenario, options))
  if (result.attempts > 0)
    keepOutput(options.root, step.id, result.output)
  return result
}

/**
 * Writes .talk/kubeconfig/<cluster>.yaml from `kind get kubeconfig`: the kind cluster's context
 * and nothing else, so a talk step can reach no other cluster whatever the presenter's own
 * kubeconfig holds. Throws when kind knows no such cluster.
 */
export async function writeTalkKubeconfig(root: string, cluster: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const result = await execa('kind', ['get', 'kubeconfig', '--name', cluster], {
    env: toolEnv(env),
    extendEnv: false,
    reject: false,
    timeout: 30_000,
  })
  if (result.exitCode !== 0) {
    throw new Error(`no kind cluster named ${cluster} (kind get kubeconfig: ${result.stderr.trim().split('\n').at(-1) ?? ''}); stage it with npm run stage, or create it with snippets/${cluster === 'startup-cni'
      ? 'c-cni-install/01'
      : 'setup/03'}-create-cluster.sh`)
  }
  const config = parse(result.stdout) as { contexts?: { name?: string }[] } | null
  const contexts = (config?.contexts ?? []).map(context => context.name)
  if (contexts.length !== 1 || contexts[0] !== kindContext(cluster))
    throw new Error(`kind get kubeconfig --name ${cluster} returned contexts ${contexts.join(', ') || '(none)'}; expected only ${kindContext(cluster)}`)
  const file = talkPaths(root).kubeconfig(cluster)
  writeFileAtomically(file, result.stdout)
  return file
}
