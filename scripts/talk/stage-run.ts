import type { StepResult } from '../snippet-check/run-step'
import type { ClusterPlan } from './stage-plan'
import type { StageContext } from './stage-tools'
import type { TalkState } from './talk-files'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { preloadImages, pullNodeImage } from '../snippet-check/cluster-lifecycle'
import { preloadedImages, toolEnv } from '../snippet-check/live-check'
import { prerequisiteProblems, systemProbe } from '../snippet-check/prerequisites'
import { liveStaged, planStage, refusals, talkClusters } from './stage-plan'
import { recordPassed, reportStep, runStagedStep } from './stage-steps'
import { deleteKindCluster, exitStatusOf, exportKubeconfig, kindClusters, onInterrupt, presenterContexts, talkEnv } from './stage-tools'
import { readTalkState, talkPaths, writeTalkState } from './talk-files'
import { kindContext, writeTalkKubeconfig } from './talk-steps'

// `npm run stage`: creates each talk cluster and runs its staged steps, resuming where the
// last run stopped. Exit status: 0 staged, 1 a step failed, 3 a prerequisite is missing or a
// cluster or context of the same name exists that staging did not create, 130/143 interrupted.

/** Checks what every mode that reaches a cluster needs; one message each. */
export async function prerequisitesMet(context: StageContext): Promise<boolean> {
  const missing = await prerequisiteProblems(context.probe ?? systemProbe, context.pins, 1)
  for (const problem of missing)
    context.warn(`missing: ${problem}`)
  return missing.length === 0
}

/**
 * The creating step, with KUBECONFIG at the private .talk file so kind writes only there; then
 * the presenter's context (kind export kubeconfig), the private kubeconfig from kind, and the
 * pinned images. The cluster is recorded before kind runs, so what an interrupted creation
 * leaves behind is staging's to delete, not a stranger's cluster to refuse.
 */
async function createCluster(context: StageContext, state: TalkState, plan: ClusterPlan, signal: AbortSignal): Promise<StepResult> {
  const { cluster, creating } = plan.cluster
  if (plan.action === 'recreate') {
    context.log(`${cluster}: the last run stopped while creating it; deleting it to create it again`)
    await deleteKindCluster(cluster, talkEnv(context.root, cluster, context.env))
  }
  if (context.pins.KIND_NODE_IMAGE)
    context.log(`${cluster}: ${await pullNodeImage(context.pins.KIND_NODE_IMAGE, toolEnv(context.env), signal)}`)
  if (signal.aborted) {
    return {
      id: creating.id,
      status: 'failed',
      durationMs: 0,
      attempts: 0,
      output: '',
      reason: 'stopped: interrupted before it ran',
    }
  }
  const kubeconfig = talkPaths(context.root).kubeconfig(cluster)
  rmSync(kubeconfig, { force: true })
  mkdirSync(dirname(kubeconfig), { recursive: true })
  state.clusters[cluster] = {
    createdAt: new Date().toISOString(),
  }
  writeTalkState(context.root, state)

  const result = await runStagedStep(context, state, creating, signal, false)
  reportStep(context, result)
  if (result.status !== 'passed')
    return result
  try {
    await exportKubeconfig(cluster, context.env)
    await writeTalkKubeconfig(context.root, cluster, context.env)
  }
  catch (error) {
    const failed: StepResult = { ...result, status: 'failed', reason: (error as Error).message }
    reportStep(context, failed)
    return failed
  }
  recordPassed(context, state, creating)
  context.log(`${cluster}: context ${kindContext(cluster)} added to your kubeconfig`)
  for (const note of await preloadImages(cluster, preloadedImages(context.pins), talkEnv(context.root, cluster, context.env)))
    context.log(`${cluster}: ${note}`)
  return result
}

/** A staged cluster whose private kubeconfig or presenter context went missing gets them back. */
async function restoreAccess(context: StageContext, cluster: string, contexts: ReadonlyMap<string, string>): Promise<void> {
  if (!existsSync(talkPaths(context.root).kubeconfig(cluster))) {
    await writeTalkKubeconfig(context.root, cluster, context.env)
    context.log(`${cluster}: wrote its missing private kubeconfig, .talk/kubeconfig/${cluster}.yaml`)
  }
  if (!contexts.has(kindContext(cluster))) {
    await exportKubeconfig(cluster, context.env)
    context.log(`${cluster}: put its missing context ${kindContext(cluster)} back in your kubeconfig`)
  }
}

async function stageCluster(context: StageContext, state: TalkState, plan: ClusterPlan, contexts: ReadonlyMap<string, string>, signal: AbortSignal): Promise<StepResult | undefined> {
  const { cluster, chain, staged, creating } = plan.cluster
  const total = liveStaged(staged).length
  if (plan.vanished)
    context.log(`${cluster}: recorded in .talk/state.json, but kind has no such cluster any more: forgot its staged steps; staging it again`)
  if (plan.action === 'none')
    await restoreAccess(context, cluster, contexts)
  if (plan.todo.length === 0) {
    context.log(`${cluster}: ${total} staged steps already done; nothing to do`)
    return undefined
  }
  context.log(`${cluster}: ${chain.map(s => s.name).join(', ')}: ${plan.done} of ${total} staged steps done, ${liveStaged(plan.todo).length} to run`)
  for (const step of plan.todo) {
    const result = step === creating
      ? await createCluster(context, state, plan, signal)
      : await runStagedStep(context, state, step, signal)
    if (step !== creating)
      reportStep(context, result)
    if (result.status === 'failed')
      return result
  }
  return undefined
}

export async function runStage(context: StageContext): Promise<number> {
  if (!await prerequisitesMet(context))
    return 3
  const clusters = talkClusters(context.scenarios)
  let state: TalkState
  let present: Set<string>
  let contexts: Map<string, string>
  try {
    state = readTalkState(context.root)
    present = await kindClusters(context.env)
    contexts = presenterContexts(context.env)
  }
  catch (error) {
    context.warn((error as Error).message)
    return 3
  }
  const refused = refusals(clusters, state, present, contexts)
  if (refused.length > 0) {
    for (const problem of refused)
      context.warn(`refused: ${problem}`)
    context.warn('nothing was changed')
    return 3
  }

  const planned = planStage(clusters, state, present)
  state = planned.state
  if (planned.plans.some(plan => plan.vanished))
    writeTalkState(context.root, state)
  const interruption = onInterrupt(context.log)
  try {
    for (const plan of planned.plans) {
      let stopped: StepResult | undefined
      try {
        stopped = await stageCluster(context, state, plan, contexts, interruption.signal)
      }
      catch (error) {
        context.warn(`${plan.cluster.cluster}: ${(error as Error).message}`)
        return 1
      }
      const signal = interruption.received()
      if (signal) {
        context.log(`interrupted${stopped
          ? ` at ${stopped.id}`
          : ''}: the steps that passed are recorded in .talk/state.json; npm run stage resumes from there`)
        return exitStatusOf(signal)
      }
      if (stopped) {
        context.log(`stopped at ${stopped.id}: fix what it says, then run npm run stage again; it resumes at that step (the steps that passed are not run again)`)
        return 1
      }
    }
  }
  finally {
    interruption.dispose()
  }
  const ran = planned.plans.some(plan => plan.todo.length > 0)
  context.log(`${ran
    ? `staged ${clusters.map(c => c.cluster).join(' and ')}`
    : 'everything was staged already'}; last thing before going on stage: npm run stage -- --check`)
  return 0
}
