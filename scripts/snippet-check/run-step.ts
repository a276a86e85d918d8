import type { StepSpec } from './scenarios'
import { readFileSync } from 'node:fs'
import process from 'node:process'
import { execa } from 'execa'
import { compareOutput } from './compare-output'

// Runs one step as the presenter would, in a clean bash with errexit, nounset and pipefail,
// and judges it: exit status, output, timeout. Steps never see the caller's environment,
// only what is passed here (PATH, HOME, Docker's connection settings, KUBECONFIG and the pins).

export interface StepEnvironment {
  cwd: string
  /** Every variable the step gets; nothing else is inherited. */
  env: Record<string, string>
  /** Cluster names as the snippets write them → the unique names of this run. */
  clusterNames: ReadonlyMap<string, string>
  /** Test hook: how long to wait between poll attempts (defaults to the step's own). */
  pollDelayMs?: (step: StepSpec) => number
  /** Aborting it stops the running step (SIGTERM, then SIGKILL) and any further attempts. */
  signal?: AbortSignal
  /** Receives what the step prints as it prints it (stdout and stderr together), cluster names as the snippets write them. */
  onOutput?: (chunk: string) => void
}

export interface StepResult {
  id: string
  status: 'passed' | 'failed' | 'skipped'
  exitCode?: number
  timedOut?: boolean
  durationMs: number
  attempts: number
  output: string
  reason?: string
  diff?: string
  /** The alternative expected output (`NN-name.<name>.out`) the output matched, when not the `.out` itself. */
  alternative?: string
}

/** A step that was not run because running it could reach another cluster. */
export function refusedStep(id: string, why: string): StepResult {
  return {
    id,
    status: 'failed',
    durationMs: 0,
    attempts: 0,
    output: '',
    reason: `refused: ${why}`,
  }
}

/**
 * Replaces every cluster name that is a key of `names` with its value: the snippets' names with
 * this run's unique ones in a step, and the other way round in what the step printed.
 */
export function renameClusters(text: string, names: ReadonlyMap<string, string>): string {
  let result = text
  for (const [from, to] of names)
    result = result.split(from).join(to)
  return result
}

interface Attempt {
  exitCode?: number
  timedOut: boolean
  canceled: boolean
  output: string
}

/** Signals the step's whole process group: a `kubectl wait` inside the step stops with its bash. */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined)
    return
  try {
    process.kill(-pid, signal)
  }
  catch {
    // The group has already gone.
  }
}

async function attempt(step: StepSpec, script: string, environment: StepEnvironment): Promise<Attempt> {
  const reverse = new Map([...environment.clusterNames].map(([declared, unique]) => [unique, declared]))
  // detached: bash leads a process group of its own, so a timeout or a cancel stops every
  // command it started, not only bash (which would leave a running child holding the result).
  const subprocess = execa('bash', [
    '--noprofile',
    '--norc',
    '-o',
    'errexit',
    '-o',
    'nounset',
    '-o',
    'pipefail',
    '-c',
    script,
    step.id,
  ], {
    cwd: environment.cwd,
    env: environment.env,
    extendEnv: false,
    all: true,
    reject: false,
    stdin: 'ignore',
    detached: true,
  })
  let stopped: 'timeout' | 'cancel' | undefined
  let forceKill: NodeJS.Timeout | undefined
  const stop = (why: 'timeout' | 'cancel') => {
    if (stopped)
      return
    stopped = why
    signalGroup(subprocess.pid, 'SIGTERM')
    forceKill = setTimeout(signalGroup, 5000, subprocess.pid, 'SIGKILL')
  }
  const timer = setTimeout(stop, step.timeoutSeconds * 1000, 'timeout')
  const onAbort = () => stop('cancel')
  environment.signal?.addEventListener('abort', onAbort, { once: true })
  if (environment.signal?.aborted)
    onAbort()
  const onOutput = environment.onOutput
  if (onOutput)
    subprocess.all.on('data', (chunk: Uint8Array) => onOutput(renameClusters(new TextDecoder().decode(chunk), reverse)))
  let result
  try {
    result = await subprocess
  }
  finally {
    clearTimeout(timer)
    clearTimeout(forceKill)
    environment.signal?.removeEventListener('abort', onAbort)
  }
  const attemptResult: Attempt = {
    timedOut: stopped === 'timeout',
    canceled: stopped === 'cancel',
    output: renameClusters(result.all ?? '', reverse),
  }
  if (result.exitCode !== undefined)
    attemptResult.exitCode = result.exitCode
  return attemptResult
}

function judge(step: StepSpec, run: Attempt): Pick<StepResult, 'status' | 'reason' | 'diff' | 'alternative'> {
  if (run.canceled)
    return { status: 'failed', reason: 'stopped: the run was interrupted' }
  if (run.timedOut)
    return { status: 'failed', reason: `timed out after ${step.timeoutSeconds}s` }
  if (run.exitCode === undefined || !step.exit.includes(run.exitCode))
    return { status: 'failed', reason: `exited ${run.exitCode ?? 'by signal'}, expected ${step.exit.join(' or ')}` }
  const first = run.exitCode === step.exit[0]
  const expected = first ? step.expectedOutput : step.otherOutcomes[run.exitCode]
  if (step.compare === 'none' || !expected)
    return { status: 'passed' }
  const compare = (file: string) => compareOutput(readFileSync(file, 'utf8'), run.output, step.compare as 'exact' | 'pattern', file.replace(/^.*\/snippets\//, ''))
  const comparison = compare(expected)
  if (comparison.matches)
    return { status: 'passed' }
  // The first exit status may print one of the listed alternatives instead (snippets/README.md).
  const alternatives = first ? step.alternatives : []
  const matched = alternatives.find(alternative => compare(alternative.path).matches)
  if (matched)
    return { status: 'passed', alternative: matched.name, reason: `printed the "${matched.name}" alternative: ${matched.reason}` }
  return {
    status: 'failed',
    reason: alternatives.length > 0
      ? `output differs from the .out file and from its alternatives (${alternatives.map(alternative => alternative.name).join(', ')})`
      : 'output differs from the .out file',
    diff: comparison.diff!,
  }
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

export async function runStep(step: StepSpec, environment: StepEnvironment): Promise<StepResult> {
  if (!step.live) {
    return {
      id: step.id,
      status: 'skipped',
      durationMs: 0,
      attempts: 0,
      output: '',
      reason: step.why ?? 'not run live',
    }
  }
  const script = renameClusters(readFileSync(step.script, 'utf8'), environment.clusterNames)
  const started = Date.now()
  const deadline = started + (step.poll?.deadlineSeconds ?? 0) * 1000
  let attempts = 0
  for (;;) {
    attempts++
    const run = await attempt(step, script, environment)
    const verdict = judge(step, run)
    const settled = verdict.status === 'passed' || !step.poll || Date.now() >= deadline || run.canceled
    if (settled) {
      const result: StepResult = {
        id: step.id,
        ...verdict,
        durationMs: Date.now() - started,
        attempts,
        output: run.output,
        timedOut: run.timedOut,
      }
      if (run.exitCode !== undefined)
        result.exitCode = run.exitCode
      if (verdict.status === 'failed' && step.poll)
        result.reason = `${verdict.reason} (still, after ${attempts} attempts over ${step.poll.deadlineSeconds}s)`
      return result
    }
    await sleep(environment.pollDelayMs?.(step) ?? step.poll!.everySeconds * 1000)
  }
}
