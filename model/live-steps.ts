// Live steps, as `npm run present` runs them from the slides: the endpoint's paths, the events
// it streams to every open deck page (Server-Sent Events), and what a terminal shows for them.
// Pure: the step server (scripts/talk/step-server.ts) writes these events and SnippetRun reads
// them, so the audience window and the presenter window show the same output and marks.

export const LIVE_STEPS_BASE = '/__live-steps'
export const LIVE_STEPS_RUN = `${LIVE_STEPS_BASE}/run`
export const LIVE_STEPS_STOP = `${LIVE_STEPS_BASE}/stop`
export const LIVE_STEPS_EVENTS = `${LIVE_STEPS_BASE}/events`
/** Requests that run or stop a step carry the token in this header; the event stream in `?token=`. */
export const LIVE_STEPS_TOKEN_HEADER = 'x-live-steps-token'
/** The deck page holds the token in `<meta name="live-steps-token">`, in present mode only. */
export const LIVE_STEPS_TOKEN_META = 'live-steps-token'

/** How a run ended: its output matched the expected one, differed, it failed (exit, timeout, stop), or had nothing to compare. */
export type Verdict = 'matches' | 'differs' | 'failed' | 'done'

export interface LiveRun {
  step: string
  state: 'running' | Verdict
  /** What the step printed so far (stdout and stderr together). */
  output: string
  startedAt: string
  finishedAt?: string
  /** While a hidden step that comes before it runs (a wait no slide shows): that step's id. */
  running?: string
  reason?: string
  /** Unified diff, expected → actual, when the output differs. */
  diff?: string
}

/** What the slide may do with a step shown on it. */
export type StepAvailability
  = | { kind: 'run' }
    | { kind: 'staged', finishedAt?: string, output?: string }
    | { kind: 'off', why: string }

export type LiveEvent
  = | { type: 'snapshot', steps: Record<string, StepAvailability>, runs: LiveRun[], busy?: string }
    | { type: 'start', step: string, startedAt: string }
    | { type: 'phase', step: string, running: string }
    | { type: 'output', step: string, chunk: string }
    | { type: 'end', run: LiveRun }
    /** This page's own request was refused (never broadcast: the page adds it itself). */
    | { type: 'refused', step: string, message: string }
    | { type: 'lost', message: string }

export interface LiveState {
  connected: boolean
  lost?: string
  steps: Record<string, StepAvailability>
  runs: Record<string, LiveRun>
  /** The step running now, if any: one runs at a time. */
  busy?: string
  notices: Record<string, string>
}

export function emptyLiveState(): LiveState {
  return {
    connected: false,
    steps: {},
    runs: {},
    notices: {},
  }
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _dropped, ...rest } = record
  return rest
}

export function applyLiveEvent(state: LiveState, event: LiveEvent): LiveState {
  switch (event.type) {
    case 'snapshot': {
      const next: LiveState = {
        connected: true,
        steps: event.steps,
        runs: Object.fromEntries(event.runs.map(run => [run.step, run])),
        notices: {},
      }
      if (event.busy)
        next.busy = event.busy
      return next
    }
    case 'start':
      return {
        ...state,
        busy: event.step,
        runs: {
          ...state.runs,
          [event.step]: {
            step: event.step,
            state: 'running',
            output: '',
            startedAt: event.startedAt,
          },
        },
        notices: withoutKey(state.notices, event.step),
      }
    case 'phase': {
      const run = state.runs[event.step]
      if (!run)
        return state
      const next: LiveRun = { ...run }
      if (event.running === event.step)
        delete next.running
      else
        next.running = event.running
      return {
        ...state,
        runs: { ...state.runs, [event.step]: next },
      }
    }
    case 'output': {
      const run = state.runs[event.step]
      if (!run)
        return state
      return {
        ...state,
        runs: {
          ...state.runs,
          [event.step]: { ...run, output: run.output + event.chunk },
        },
      }
    }
    case 'end': {
      const next: LiveState = {
        ...state,
        runs: { ...state.runs, [event.run.step]: event.run },
      }
      if (state.busy === event.run.step)
        delete next.busy
      return next
    }
    case 'refused':
      return {
        ...state,
        notices: { ...state.notices, [event.step]: event.message },
      }
    case 'lost':
      return { ...state, connected: false, lost: event.message }
  }
}

/** How a finished run reads, from the snippet checker's judgement of it. */
export function verdictOf(result: { status: 'passed' | 'failed' | 'skipped', diff?: string }, compared: boolean): Verdict {
  if (result.status === 'passed') {
    return compared ? 'matches' : 'done'
  }
  return result.diff === undefined ? 'failed' : 'differs'
}

export interface DiffRow {
  side: 'expected' | 'actual'
  text: string
}

/** `{{hash}}` → `‹hash›`, as the terminal shows a placeholder. */
export function showPlaceholders(line: string): string {
  return line.replace(/\{\{([a-z-]+)\}\}/g, '‹$1›')
}

export interface DiffBlock {
  expected: string[]
  actual: string[]
}

/**
 * The lines that differ, from the checker's unified diff, block by block: each changed block's
 * expected lines and actual lines. Lines that matched their pattern are not in the diff at all.
 */
export function differingBlocks(diff: string): DiffBlock[] {
  const blocks: DiffBlock[] = []
  let inHunk = false
  let block: DiffBlock = { expected: [], actual: [] }
  const flush = () => {
    if (block.expected.length + block.actual.length > 0) {
      blocks.push({
        expected: block.expected.map(showPlaceholders),
        actual: block.actual,
      })
    }
    block = { expected: [], actual: [] }
  }
  for (const line of diff.split('\n')) {
    if (line.startsWith('@@')) {
      flush()
      inHunk = true
      continue
    }
    if (!inHunk || line.startsWith('\\'))
      continue
    if (line.startsWith('-'))
      block.expected.push(line.slice(1))
    else if (line.startsWith('+'))
      block.actual.push(line.slice(1))
    else
      flush()
  }
  flush()
  return blocks
}

function rowsOf(block: DiffBlock): DiffRow[] {
  return [
    ...block.expected.map(text => ({ side: 'expected' as const, text })),
    ...block.actual.map(text => ({ side: 'actual' as const, text })),
  ]
}

export function differingLines(diff: string): DiffRow[] {
  return differingBlocks(diff).flatMap(rowsOf)
}

/**
 * At most `max` rows, taken from the first blocks, with both sides of a block shown when it has
 * both (nine changed lines show two expected and two actual, not four expected).
 */
export function shownDiff(blocks: readonly DiffBlock[], max: number): { rows: DiffRow[], more: number } {
  const rows: DiffRow[] = []
  let total = 0
  for (const block of blocks) {
    total += block.expected.length + block.actual.length
    const room = max - rows.length
    if (room <= 0)
      continue
    let actual = Math.min(block.actual.length, block.expected.length > 0 ? Math.floor(room / 2) : room)
    const expected = Math.min(block.expected.length, room - actual)
    actual = Math.min(block.actual.length, room - expected)
    rows.push(...rowsOf({
      expected: block.expected.slice(0, expected),
      actual: block.actual.slice(0, actual),
    }))
  }
  return { rows, more: total - rows.length }
}

/** Local wall-clock time, `14:02`; with the date when it is not today. */
export function clockOf(iso: string, now = new Date()): string {
  const at = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`
  return at.toDateString() === now.toDateString()
    ? time
    : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`
}

/** At most this many differing lines are shown under the terminal: enough to see what changed, and the slide still fits. */
export const MAX_DIFF_ROWS = 4
/** A failed run shows its last lines beside the reason. */
export const FAILURE_TAIL_LINES = 2

export type Tone = 'running' | 'ok' | 'bad' | 'info'

export interface LiveTerminal {
  /** Shown instead of the expected (or recorded) output; undefined keeps it. */
  output?: string
  control: 'run' | 'stop' | 'wait' | 'none'
  /** Replaces the verification badge: what the terminal shows (`real output, 14:03`, `expected`, `staged 13:40`). */
  badge?: { tone: Tone, text: string }
  /** The run's mark, in the terminal's caption: matches, differs, failed and why. */
  mark?: { tone: Tone, text: string }
  diff?: { rows: DiffRow[], more: number }
  /** A failed run's last lines, shown with its reason. */
  tail?: string[]
}

function lastLines(text: string, count: number): string[] {
  return text.replace(/\s+$/, '').split('\n').filter(line => line.trim() !== '').slice(-count)
}

const MARKS: Record<Verdict, (run: LiveRun) => string> = {
  matches: () => '✓ matches expected',
  differs: () => '✗ differs from expected',
  failed: run => `✗ ${run.reason ?? 'failed'}`,
  done: () => '✓ done (no expected output to compare)',
}

/**
 * What a terminal shows in present mode for `step`. `controls`: this page may run steps (the
 * slide or the presenter view, not a preview of the next slide).
 */
export function liveTerminal(step: string, state: LiveState, controls: boolean, now = new Date()): LiveTerminal {
  const availability = state.steps[step]
  if (!availability) {
    if (state.lost) {
      return {
        control: 'none',
        mark: { tone: 'bad', text: state.lost },
      }
    }
    return state.connected
      ? {
          control: 'none',
          badge: { tone: 'bad', text: 'not a step of the scenarios present read' },
        }
      : { control: 'none' }
  }
  if (availability.kind === 'staged') {
    if (!availability.finishedAt) {
      return {
        control: 'none',
        badge: { tone: 'bad', text: 'not staged yet: npm run stage' },
      }
    }
    const staged: LiveTerminal = {
      control: 'none',
      badge: { tone: 'info', text: `staged ${clockOf(availability.finishedAt, now)}` },
    }
    if (availability.output !== undefined)
      staged.output = availability.output
    return staged
  }
  if (availability.kind === 'off') {
    return {
      control: 'none',
      badge: { tone: 'info', text: `not run from the slide: ${availability.why}` },
    }
  }

  const run = state.runs[step]
  const control = !controls || !state.connected
    ? 'none'
    : run?.state === 'running' ? 'stop' : state.busy ? 'wait' : 'run'
  const view: LiveTerminal = { control }
  const notice = state.notices[step] ?? state.lost
  if (notice)
    view.mark = { tone: 'bad', text: notice }
  if (!run)
    return view
  if (run.state === 'running') {
    view.output = run.output
    view.badge = { tone: 'running', text: 'real output' }
    view.mark ??= {
      tone: 'running',
      text: run.running ? `running ${run.running.split('/')[1]} first (hidden)…` : 'running…',
    }
    return view
  }
  view.mark ??= {
    tone: run.state === 'matches' || run.state === 'done' ? 'ok' : 'bad',
    text: MARKS[run.state](run),
  }
  if (run.state === 'failed') {
    view.badge = { tone: 'info', text: 'expected' }
    const tail = lastLines(run.output, FAILURE_TAIL_LINES)
    if (tail.length > 0)
      view.tail = tail
    return view
  }
  view.output = run.output
  view.badge = { tone: 'info', text: `real output, ${clockOf(run.finishedAt ?? run.startedAt, now)}` }
  if (run.state === 'differs' && run.diff) {
    view.diff = shownDiff(differingBlocks(run.diff), MAX_DIFF_ROWS)
  }
  return view
}
