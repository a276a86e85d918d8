import type { StepResult } from '../snippet-check/run-step'
import type { ClusterPlan } from './stage-plan'
import type { StageContext } from './stage-tools'
import type { TalkState } from './talk-files'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { stopExitCode } from '../core/cli'
import { preloadImages, pullNodeImage } from '../snippet-check/cluster-lifecycle'
import { preloadedImages, toolEnv } from '../snippet-check/live-check'
import { prerequisiteProblems, systemProbe } from '../snippet-check/prerequisites'
import { liveStaged, planStage, refusals, talkClusters } from './stage-plan'
import { recordPassed, reportStep, runStagedStep } from './stage-steps'
import { deleteKindCluster, exportKubeconfig, kindClusters, onInterrupt, presenterContexts, recordedIdentities, talkEnv } from './stage-tools'
import { readTalkState, talkPaths, writeTalkState } from './talk-files'
import { liveNodeId, nodeContainer } from './talk-identity'
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
 * Loads the pinned images into the cluster's node, one at a time, and records that in
 * .talk/state.json once all of them went: a preload stopped half way is done again next run.
 */
async function preload(context: StageContext, state: TalkState, cluster: string, signal: AbortSignal): Promise<void> {
  for (const image of preloadedImages(context.pins)) {
    if (signal.aborted)
      return
    for (const note of await preloadImages(cluster, [image], talkEnv(context.root, cluster, context.env)))
      context.log(`${cluster}: ${note}`)
  }
  if (signal.aborted)
    return
  state.clusters[cluster] = {
    ...state.clusters[cluster]!,
    preloaded: new Date().toISOString(),
  }
  writeTalkState(context.root, state)
}

/**
 * The creating step, with KUBECONFIG at the private .talk file so kind writes only there; then
 * the presenter's context (kind export kubeconfig), the private kubeconfig from kind, the node
 * container's ID (the cluster's identity from now on), and the pinned images. The cluster is
 * recorded before kind runs, so what an interrupted creation leaves behind is staging's to
 * delete, not a stranger's cluster to refuse.
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
    const nodeId = await liveNodeId(cluster, context.env)
    if (!nodeId)
      throw new Error(`kind created ${cluster}, but Docker has no container ${nodeContainer(cluster)} (staging needs kind's Docker provider)`)
    state.clusters[cluster] = { ...state.clusters[cluster]!, nodeId }
  }
  catch (error) {
    const failed: StepResult = { ...result, status: 'failed', reason: (error as Error).message }
    reportStep(context, failed)
    return failed
  }
  recordPassed(context, state, creating)
  context.log(`${cluster}: context ${kindContext(cluster)} added to your kubeconfig`)
  await preload(context, state, cluster, signal)
  return result
}

/**
 * A staged cluster's private kubeconfig is written again from kind before anything runs (a
 * file left there is never trusted: it might reach another cluster); its presenter context,
 * if it went missing, is put back.
 */
async function refreshAccess(context: StageContext, cluster: string, contexts: ReadonlyMap<string, string>): Promise<void> {
  const missing = !existsSync(talkPaths(context.root).kubeconfig(cluster))
  await writeTalkKubeconfig(context.root, cluster, context.env)
  if (missing)
    context.log(`${cluster}: wrote its missing private kubeconfig, .talk/kubeconfig/${cluster}.yaml`)
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
    await refreshAccess(context, cluster, contexts)
  const preloading = plan.action === 'none' && creating.id in state.staged && !state.clusters[cluster]?.preloaded
  if (preloading) {
    context.log(`${cluster}: the pinned images were not all loaded into it (the last run stopped first); loading them`)
    await preload(context, state, cluster, signal)
  }
  if (plan.todo.length === 0) {
    context.log(`${cluster}: ${total} staged steps already done${preloading ? '' : '; nothing to do'}`)
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
  let identities: Awaited<ReturnType<typeof recordedIdentities>>
  try {
    state = readTalkState(context.root)
    present = await kindClusters(context.env)
    contexts = presenterContexts(context.env)
    identities = await recordedIdentities(clusters, state, present, context.env)
  }
  catch (error) {
    context.warn((error as Error).message)
    return 3
  }
  const refused = [
    ...refusals(clusters, state, present, contexts),
    ...[...identities.values()].flatMap(identity => identity.kind === 'differs' ? [identity.message] : []),
  ]
  if (refused.length > 0) {
    for (const problem of refused)
      context.warn(`refused: ${problem}`)
    context.warn('nothing was changed')
    return 3
  }
  // A cluster recorded by an older npm run stage, before identities were kept: this is the one
  // place that takes the running cluster as the recorded one.
  for (const [cluster, identity] of identities) {
    if (identity.kind !== 'unrecorded')
      continue
    state.clusters[cluster] = { ...state.clusters[cluster]!, nodeId: identity.live }
    writeTalkState(context.root, state)
    context.log(`${cluster}: recorded without its node container's ID (by an older npm run stage); took the running one, ${identity.live.slice(0, 12)}, as its own`)
  }

  const planned = planStage(clusters, state, present)
  state = planned.state
  if (planned.plans.some(plan => plan.vanished))
    writeTalkState(context.root, state)
  const preloadsDue = planned.plans.filter(plan => plan.action === 'none' && plan.cluster.creating.id in state.staged && !state.clusters[plan.cluster.cluster]?.preloaded).length
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
        return stopExitCode(signal)
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
  const ran = preloadsDue > 0 || planned.plans.some(plan => plan.todo.length > 0)
  context.log(`${ran
    ? `staged ${clusters.map(c => c.cluster).join(' and ')}`
    : 'everything was staged already'}; last thing before going on stage: npm run stage -- --check`)
  return 0
}
