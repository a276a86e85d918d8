import type { StepResult } from '../snippet-check/run-step'
import type { StepSpec } from '../snippet-check/scenarios'
import type { StageContext } from './stage-tools'
import type { TalkState } from './talk-files'
import { indented, stepLine } from './stage-tools'
import { writeTalkState } from './talk-files'
import { runTalkStep } from './talk-steps'

// Runs staged steps one after another on their talk cluster, as the live check judges them,
// recording each that passes in .talk/state.json at once (so an interrupted or failed run
// resumes after the last step that passed). One line per step; a failure shows its output.

/** Runs one staged step and, on a pass, records it (unless `record` is false: the caller records it when its own work is done). */
export async function runStagedStep(context: StageContext, state: TalkState, step: StepSpec, signal: AbortSignal, record = true): Promise<StepResult> {
  const scenario = context.scenarios.find(s => s.name === step.scenario)!
  const result = await runTalkStep(scenario, step, {
    root: context.root,
    pins: context.pins,
    env: context.env,
    signal,
  })
  // Ctrl-C in a terminal reaches the step too: it may die of the signal before our own handler
  // has run, so give the handler a moment before calling it a failure.
  if (result.status === 'failed' && result.exitCode === undefined && !result.timedOut && !signal.aborted)
    await new Promise(resolve => setTimeout(resolve, 200))
  if (signal.aborted && result.status === 'failed')
    return { ...result, reason: 'stopped: interrupted while running' }
  if (result.status === 'passed' && record)
    recordPassed(context, state, step)
  return result
}

export function recordPassed(context: StageContext, state: TalkState, step: StepSpec): void {
  state.staged[step.id] = {
    finishedAt: new Date().toISOString(),
  }
  writeTalkState(context.root, state)
}

/** Prints a step's line, and for a failure what it printed and how it differs from the .out. */
export function reportStep(context: StageContext, result: StepResult): void {
  context.log(stepLine(result))
  if (result.status !== 'failed' || result.reason?.startsWith('stopped'))
    return
  if (result.output.trim())
    context.log(`  what it printed:\n${indented(result.output)}`)
  if (result.diff)
    context.log(`  against the expected output:\n${indented(result.diff)}`)
}

/** Runs the steps in order until one fails or the run is interrupted; the failed or stopped step, if any. */
export async function runStagedSteps(context: StageContext, state: TalkState, steps: readonly StepSpec[], signal: AbortSignal): Promise<StepResult | undefined> {
  for (const step of steps) {
    const result = await runStagedStep(context, state, step, signal)
    reportStep(context, result)
    if (result.status === 'failed')
      return result
  }
  return undefined
}
