import type { Interruption } from '../core/cli'
import type { StageContext } from './stage-tools'
import type { TalkState } from './talk-files'
import { stopExitCode } from '../core/cli'
import { forgetSteps, planReset, talkClusters } from './stage-plan'
import { prerequisitesMet } from './stage-run'
import { reportStep, runStagedStep, runStagedSteps } from './stage-steps'
import { indented, kindClusters, onInterrupt, recordedIdentities, talkKubectl } from './stage-tools'
import { readTalkState, writeTalkState } from './talk-files'
import { identityRefusal } from './talk-identity'
import { writeTalkKubeconfig } from './talk-steps'

// `npm run stage -- --reset <scenario>`: one scenario back to its starting state after a
// rehearsal, without recreating anything else. It first runs the scenario's `reset:` steps
// (scenario.yaml), which undo what a rehearsal changed beyond its manifests, such as
// d-cni-broken's restarted control-plane pod, stuck under the broken chain; they are not staged
// steps and are never recorded. Then it deletes the demo manifests its steps apply (the snippets
// say which), and runs its staged steps again: applies and waits, which are idempotent.
// Exit status: 0 reset, 1 a step failed (a reset: step or a staged one), 2 it can't be reset
// (nothing changed), 3 a prerequisite is missing or the cluster is not the one staging created
// (nothing changed), 130/143 interrupted.

type ResetPlan = Exclude<ReturnType<typeof planReset>, { error: string }>

/**
 * What --reset will work on, checked before anything changes: the recorded state, the plan for
 * the scenario, the prerequisites, and its cluster, still the one staging created (its private
 * kubeconfig written again from kind). An exit status where it can't go on.
 */
async function resetTarget(context: StageContext, name: string): Promise<{ state: TalkState, plan: ResetPlan } | number> {
  let state: TalkState
  try {
    state = readTalkState(context.root)
  }
  catch (error) {
    context.warn((error as Error).message)
    return 3
  }
  const plan = planReset(context.scenarios, talkClusters(context.scenarios), state, name)
  if ('error' in plan) {
    context.warn(`--reset: ${plan.error}; nothing was changed`)
    return 2
  }
  if (!await prerequisitesMet(context))
    return 3
  let present: Set<string>
  try {
    present = await kindClusters(context.env)
  }
  catch (error) {
    context.warn((error as Error).message)
    return 3
  }
  if (!present.has(plan.cluster)) {
    context.warn(`--reset: ${plan.cluster} is recorded in .talk/state.json, but kind has no such cluster: run npm run stage to stage it again; nothing was changed`)
    return 2
  }
  try {
    const talk = talkClusters(context.scenarios).filter(c => c.cluster === plan.cluster)
    const identity = (await recordedIdentities(talk, state, present, context.env)).get(plan.cluster)
    const refused = identity && identityRefusal(plan.cluster, identity)
    if (refused) {
      context.warn(`refused: ${refused}`)
      context.warn('nothing was changed')
      return 3
    }
    // The steps reach the cluster through its private kubeconfig: written again from kind, never trusted as found.
    await writeTalkKubeconfig(context.root, plan.cluster, context.env)
  }
  catch (error) {
    context.warn(`--reset: ${(error as Error).message}; nothing was changed`)
    return 3
  }
  return { state, plan }
}

/** The scenario's `reset:` steps, which undo what a rehearsal changed beyond its manifests; an exit status if one stops it. */
async function undoRehearsal(context: StageContext, state: TalkState, plan: ResetPlan, name: string, interruption: Interruption): Promise<number | undefined> {
  if (plan.undo.length > 0)
    context.log(`undoing what a rehearsal changed beyond the manifests (reset: in ${plan.scenario.manifest}): ${plan.undo.map(step => step.name).join(', ')}`)
  for (const step of plan.undo) {
    // Not a staged step: reported like one, but never recorded in .talk/state.json.
    const result = await runStagedStep(context, state, step, interruption.signal, false)
    reportStep(context, result)
    const signal = interruption.received()
    if (signal) {
      context.log(`interrupted at ${step.id}, before anything was deleted: ${name} is partly undone; npm run stage -- --reset ${name} runs its reset: steps again`)
      return stopExitCode(signal)
    }
    if (result.status === 'failed') {
      context.log(`stopped at ${step.id}, one of ${name}'s reset: steps (nothing was deleted yet): fix what it says, then npm run stage -- --reset ${name} again`)
      return 1
    }
  }
  return undefined
}

/** The demo manifests the scenario's steps apply, deleted with their pods; an exit status if one can't be. */
async function deleteManifests(context: StageContext, plan: ResetPlan, interruption: Interruption): Promise<number | undefined> {
  for (const manifest of plan.manifests) {
    // Foreground: kubectl returns once the pods are gone too, so the steps below start from none.
    const result = await talkKubectl(context, plan.cluster, [
      'delete',
      '--ignore-not-found',
      '--wait',
      '--cascade=foreground',
      '--timeout=120s',
      '-f',
      manifest,
    ], 150)
    if (result.exitCode !== 0) {
      context.log(`failed  deleting ${manifest}:\n${indented(result.all ?? '')}`)
      const signal = interruption.received()
      return signal ? stopExitCode(signal) : 1
    }
    context.log(`deleted ${manifest}`)
  }
  return undefined
}

/** The scenario's staged steps, run again (applies and waits: idempotent); an exit status if they stop. */
async function restage(context: StageContext, state: TalkState, plan: ResetPlan, name: string, interruption: Interruption): Promise<number | undefined> {
  const stopped = await runStagedSteps(context, state, plan.steps, interruption.signal)
  const signal = interruption.received()
  if (signal) {
    context.log(`interrupted: ${name} is partly reset; npm run stage finishes its staged steps`)
    return stopExitCode(signal)
  }
  if (stopped) {
    context.log(`stopped at ${stopped.id}: fix what it says, then npm run stage (it resumes at that step) or --reset ${name} again`)
    return 1
  }
  return undefined
}

export async function runReset(context: StageContext, name: string): Promise<number> {
  const target = await resetTarget(context, name)
  if (typeof target === 'number')
    return target
  const { plan } = target
  if (plan.later.length > 0)
    context.log(`note: ${plan.later.map(s => s.name).join(', ')} ran after ${name} on ${plan.cluster} and may have changed what its steps find; if one fails, or --check does afterwards, start ${plan.cluster} over: npm run stage -- --down, then npm run stage`)
  // Until its steps pass again the scenario is not staged: a failed reset leaves it for
  // `npm run stage` to finish, and --check says so.
  const state = forgetSteps(target.state, plan.steps)
  writeTalkState(context.root, state)

  const interruption = onInterrupt(context.log)
  try {
    const stopped = await undoRehearsal(context, state, plan, name, interruption)
      ?? await deleteManifests(context, plan, interruption)
      ?? await restage(context, state, plan, name, interruption)
    if (stopped !== undefined)
      return stopped
  }
  finally {
    interruption.dispose()
  }
  context.log(`${name} is back at its starting state on ${plan.cluster}; npm run stage -- --check to confirm`)
  return 0
}
