import type { StopSignal } from '../core/cli'
import type { Scenario, StepSpec } from '../snippet-check/scenarios'
import { parseArgs } from 'node:util'
import { stopExitCode } from '../core/cli'
import { stepsForRun } from './talk-steps'

// The terminal driver's decisions, with no process or terminal in sight: what the command line
// asks for, which steps run and how (shown, quiet or skipped), and a state machine that says
// what to do next after each key press or step result. scripts/talk/demo-loop.ts does the IO.

export const DEMO_USAGE = [
  'usage: npm run demo -- <scenario> [--from NN] [--shown-only] [--type] [--dry-run] [--context NAME]',
  '  --from NN        start at step NN (its number, e.g. 07)',
  '  --shown-only     skip the steps npm run stage has already run',
  '  --type           type each command out before running it',
  '  --type-delay MS  typing speed, milliseconds a character (default 30)',
  '  --dry-run        print every command and its expected output; run nothing',
  '  --context NAME   run on your kube context NAME instead of kind\'s cluster',
  '  --root DIR       the repository (default: the current directory)',
].join('\n')

export const DEFAULT_TYPE_DELAY_MS = 30

/** Bad usage: the CLI prints it with the usage and exits 2, before running anything. */
export class DemoUsageError extends Error {
  override name = 'DemoUsageError'
}

export interface DemoOptions {
  scenario: string
  root: string
  from?: string
  shownOnly: boolean
  dryRun: boolean
  type: boolean
  typeDelayMs: number
  context?: string
  help: boolean
}

export function parseDemoArgs(argv: readonly string[], cwd: string): DemoOptions {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        'root': { type: 'string', default: cwd },
        'from': { type: 'string' },
        'shown-only': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        'type': { type: 'boolean', default: false },
        'type-delay': { type: 'string' },
        'context': { type: 'string' },
        'help': { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: true,
    })
  }
  catch (error) {
    throw new DemoUsageError((error as Error).message)
  }
  const { values, positionals } = parsed
  if (values.help) {
    return {
      scenario: '',
      root: values.root,
      shownOnly: false,
      dryRun: false,
      type: false,
      typeDelayMs: DEFAULT_TYPE_DELAY_MS,
      help: true,
    }
  }
  if (positionals.length !== 1) {
    throw new DemoUsageError(positionals.length === 0
      ? 'which scenario? e.g. npm run demo -- a-default-install'
      : `one scenario at a time, got ${positionals.join(' ')}`)
  }
  let typeDelayMs = DEFAULT_TYPE_DELAY_MS
  if (values['type-delay'] !== undefined) {
    typeDelayMs = Number(values['type-delay'])
    if (!/^\d+$/.test(values['type-delay']) || typeDelayMs > 1000)
      throw new DemoUsageError(`--type-delay must be a whole number of milliseconds (0-1000), got ${values['type-delay']}`)
    if (!values.type)
      throw new DemoUsageError('--type-delay only applies with --type')
  }
  if (values.from !== undefined && !/^[\w-]+$/.test(values.from))
    throw new DemoUsageError(`--from takes a step's number, e.g. --from 07, got ${JSON.stringify(values.from)}`)
  if (values.context !== undefined && values.context.trim() === '')
    throw new DemoUsageError('--context needs the name of a context in your kubeconfig')
  const options: DemoOptions = {
    scenario: positionals[0]!,
    root: values.root,
    shownOnly: values['shown-only'],
    dryRun: values['dry-run'],
    type: values.type,
    typeDelayMs,
    help: false,
  }
  if (values.from !== undefined)
    options.from = values.from
  if (values.context !== undefined)
    options.context = values.context
  return options
}

/** The scenario named on the command line, if the driver may run it; otherwise why not. */
export function demoScenario(scenarios: readonly Scenario[], name: string): Scenario {
  const scenario = scenarios.find(s => s.name === name)
  if (!scenario) {
    const live = scenarios.filter(s => s.live).map(s => s.name)
    throw new DemoUsageError(`unknown scenario "${name}"; scenarios: ${live.join(', ')}`)
  }
  if (!scenario.live || !scenario.cluster)
    throw new DemoUsageError(`${name} is never run live (${scenario.why ?? 'live: false'}); its steps are in snippets/${name}/`)
  return scenario
}

/**
 * shown: the step is on a slide; its comment and command are shown and Enter runs it.
 * quiet: run without showing it, on one line (a hidden step, or one `npm run stage` already ran).
 * skip: not run, on one line saying why.
 */
export type PlanMode = 'shown' | 'quiet' | 'skip'

export interface PlanEntry {
  step: StepSpec
  mode: PlanMode
  /** Why it is quiet or skipped; empty for a shown step. */
  note: string
  /** 1-based position in the scenario, and the scenario's number of steps. */
  position: number
  of: number
}

export interface DemoPlan {
  entries: PlanEntry[]
  /** Steps before --from, not run. */
  before: StepSpec[]
  /** What the driver says before the first step about the plan itself. */
  notes: string[]
}

/** `07`, `7` or `07-containers` → the step it names; undefined when none does. */
export function findStep(scenario: Scenario, from: string): StepSpec | undefined {
  return scenario.steps.find((step) => {
    if (step.name === from)
      return true
    const number = /^(\d+)-/.exec(step.name)?.[1]
    return number !== undefined && /^\d+$/.test(from) && Number(number) === Number(from)
  })
}

export function demoPlan(scenario: Scenario, options: { staged: ReadonlySet<string>, from?: string, shownOnly: boolean }): DemoPlan {
  let start = 0
  if (options.from !== undefined) {
    const step = findStep(scenario, options.from)
    if (!step)
      throw new DemoUsageError(`no step ${options.from} in ${scenario.name}; its steps:\n${scenario.steps.map(s => `  ${s.name}`).join('\n')}`)
    // The hidden steps right before it (a wait, a context switch) run too, as on the slides.
    start = scenario.steps.indexOf(stepsForRun(scenario, step.name)[0]!)
  }
  const of = scenario.steps.length
  const entries = scenario.steps.slice(start).map((step, i): PlanEntry => {
    const position = start + i + 1
    const entry = (mode: PlanMode, note = ''): PlanEntry => ({ step, mode, note, position, of })
    const stagedAlready = step.staged && options.staged.has(step.id)
    if (!step.live)
      return entry('skip', `never run live: ${step.why ?? 'live: false'}`)
    if (step.createsCluster)
      return entry('skip', 'creates the cluster, which the driver needs before it starts')
    if (stagedAlready && options.shownOnly)
      return entry('skip', 'npm run stage has run it')
    if (stagedAlready)
      return entry('quiet', 'staged, run again quietly')
    if (step.hidden)
      return entry('quiet', step.staged ? 'hidden, not staged yet: run quietly' : 'hidden, run quietly')
    return entry('shown')
  })
  const notes: string[] = []
  const notStaged = entries.filter(e => e.step.staged && e.mode !== 'skip' && !options.staged.has(e.step.id))
  if (options.shownOnly && notStaged.length > 0)
    notes.push(`--shown-only: npm run stage has not run ${notStaged.map(e => e.step.name.replace(/-.*/, '')).join(', ')}; running them`)
  return {
    entries,
    before: scenario.steps.slice(0, start),
    notes,
  }
}

// The state machine. The loop performs each effect in order; `ask` and `run` produce the next
// event (a key, a step's outcome, Ctrl-C, end of input), which goes back into demoTransition.

export type Prompt = 'type' | 'run' | 'choice'
export type Key = 'enter' | 'retry' | 'skip' | 'quit' | 'other'

export type DemoEvent
  = | { kind: 'key', key: Key }
    | { kind: 'ran', outcome: 'matched' | 'failed' | 'stopped' }
    | { kind: 'signal', signal: StopSignal }
    | { kind: 'eof' }

export interface DemoSummary {
  matched: string[]
  /** Steps that failed (or were stopped) and were then skipped, or quit at. */
  failed: string[]
  /** Steps you skipped at their prompt, and those never reached because you quit. */
  notRun: string[]
  /** Steps the plan skips (staged, not live, creating the cluster). */
  planSkipped: string[]
}

export type DemoEffect
  = | { kind: 'announce', entry: PlanEntry }
    | { kind: 'type', entry: PlanEntry }
    | { kind: 'ask', prompt: Prompt, entry: PlanEntry }
    | { kind: 'hint', prompt: Prompt }
    | { kind: 'run', entry: PlanEntry, retry: boolean }
    | { kind: 'finish', exitCode: number, reason: 'done' | 'quit' | 'eof' | StopSignal, summary: DemoSummary }

export interface DemoState {
  index: number
  phase: 'asking' | 'running' | 'finished'
  prompt?: Prompt
  summary: DemoSummary
}

export interface Transition {
  state: DemoState
  effects: DemoEffect[]
}

export function parseKey(line: string): Key {
  const word = line.trim().toLowerCase()
  if (word === '')
    return 'enter'
  if (word === 'r' || word === 'retry')
    return 'retry'
  if (word === 's' || word === 'skip')
    return 'skip'
  if (word === 'q' || word === 'quit')
    return 'quit'
  return 'other'
}

function copy(summary: DemoSummary): DemoSummary {
  return {
    matched: [...summary.matched],
    failed: [...summary.failed],
    notRun: [...summary.notRun],
    planSkipped: [...summary.planSkipped],
  }
}

/** Moves to entry `index`: skipped entries are announced and passed over until one runs or asks. */
function enter(plan: readonly PlanEntry[], type: boolean, index: number, summary: DemoSummary, effects: DemoEffect[]): Transition {
  for (let i = index; i < plan.length; i++) {
    const entry = plan[i]!
    effects.push({ kind: 'announce', entry })
    if (entry.mode === 'skip') {
      summary.planSkipped.push(entry.step.name)
      continue
    }
    if (entry.mode === 'quiet') {
      effects.push({ kind: 'run', entry, retry: false })
      return {
        state: { index: i, phase: 'running', summary },
        effects,
      }
    }
    const prompt: Prompt = type ? 'type' : 'run'
    effects.push({ kind: 'ask', prompt, entry })
    return {
      state: {
        index: i,
        phase: 'asking',
        prompt,
        summary,
      },
      effects,
    }
  }
  const exitCode = summary.failed.length > 0 || summary.notRun.length > 0 ? 1 : 0
  effects.push({
    kind: 'finish',
    exitCode,
    reason: 'done',
    summary,
  })
  return {
    state: { index: plan.length, phase: 'finished', summary },
    effects,
  }
}

export function demoStart(plan: readonly PlanEntry[], type: boolean): Transition {
  return enter(plan, type, 0, {
    matched: [],
    failed: [],
    notRun: [],
    planSkipped: [],
  }, [])
}

/** Ending early: the current step (when it did not pass) and every later runnable step did not run. */
function finish(plan: readonly PlanEntry[], state: DemoState, summary: DemoSummary, reason: 'quit' | 'eof' | StopSignal): Transition {
  const current = plan[state.index]!
  // A step that failed, or was stopped by the signal that ends the run, counts as failed.
  const failedHere = state.phase === 'running' || state.prompt === 'choice'
  if (failedHere)
    summary.failed.push(current.step.name)
  for (const entry of plan.slice(state.index + (failedHere ? 1 : 0))) {
    if (entry.mode !== 'skip')
      summary.notRun.push(entry.step.name)
  }
  const exitCode = reason === 'SIGINT' || reason === 'SIGTERM' ? stopExitCode(reason) : 1
  return {
    state: { ...state, phase: 'finished', summary },
    effects: [
      {
        kind: 'finish',
        exitCode,
        reason,
        summary,
      },
    ],
  }
}

export function demoTransition(plan: readonly PlanEntry[], type: boolean, state: DemoState, event: DemoEvent): Transition {
  if (state.phase === 'finished')
    throw new Error('the demo has finished')
  const summary = copy(state.summary)
  const entry = plan[state.index]!
  if (event.kind === 'signal')
    return finish(plan, state, summary, event.signal)
  if (event.kind === 'eof')
    return finish(plan, state, summary, 'eof')

  if (state.phase === 'running') {
    if (event.kind !== 'ran')
      throw new Error(`unexpected ${event.kind} while a step runs`)
    if (event.outcome === 'matched') {
      summary.matched.push(entry.step.name)
      return enter(plan, type, state.index + 1, summary, [])
    }
    return {
      state: {
        ...state,
        phase: 'asking',
        prompt: 'choice',
        summary,
      },
      effects: [{ kind: 'ask', prompt: 'choice', entry }],
    }
  }

  if (event.kind !== 'key')
    throw new Error(`unexpected ${event.kind} at a prompt`)
  const prompt = state.prompt!
  const again = (): Transition => ({
    state,
    effects: [{ kind: 'hint', prompt }, { kind: 'ask', prompt, entry }],
  })
  switch (event.key) {
    case 'quit':
      return finish(plan, state, summary, 'quit')
    case 'skip':
      if (prompt === 'choice')
        summary.failed.push(entry.step.name)
      else
        summary.notRun.push(entry.step.name)
      return enter(plan, type, state.index + 1, summary, [])
    case 'enter':
      if (prompt === 'type') {
        return {
          state: { ...state, prompt: 'run' },
          effects: [{ kind: 'type', entry }, { kind: 'ask', prompt: 'run', entry }],
        }
      }
      if (prompt === 'run') {
        return {
          state: { index: state.index, phase: 'running', summary },
          effects: [{ kind: 'run', entry, retry: false }],
        }
      }
      return again()
    case 'retry':
      if (prompt === 'choice') {
        return {
          state: { index: state.index, phase: 'running', summary },
          effects: [{ kind: 'run', entry, retry: true }],
        }
      }
      return again()
    default:
      return again()
  }
}
