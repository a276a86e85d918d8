// What a terminal shows in present mode, from the events the step server streams.
import type { LiveEvent, LiveState } from '../../model/live-steps'
import { describe, expect, it } from 'vitest'
import { applyLiveEvent, clockOf, differingLines, emptyLiveState, liveTerminal, MAX_DIFF_ROWS, shownDiff, verdictOf } from '../../model/live-steps'
import { compareOutput } from '../../scripts/snippet-check/compare-output'

const now = new Date(2026, 10, 28, 14, 30)
const at = (hours: number, minutes: number) => new Date(2026, 10, 28, hours, minutes).toISOString()

function replay(...events: LiveEvent[]): LiveState {
  return events.reduce(applyLiveEvent, emptyLiveState())
}

const snapshot: LiveEvent = {
  type: 'snapshot',
  steps: {
    'a/03-pods': { kind: 'run' },
    'a/04-logs': { kind: 'run' },
    'a/01-create': {
      kind: 'staged',
      finishedAt: at(13, 40),
      output: 'Creating cluster "startup-init" ...\n',
    },
    'a/02-install': { kind: 'staged' },
    'setup/01-install-cli': { kind: 'off', why: 'the live check needs the CLI first' },
  },
  runs: [],
}

describe('live events', () => {
  it('follows a run from start to end, with its output as it streams', () => {
    const running = replay(snapshot, {
      type: 'start',
      step: 'a/03-pods',
      startedAt: at(14, 2),
    }, { type: 'phase', step: 'a/03-pods', running: 'a/02-wait' })
    expect(running.busy).toBe('a/03-pods')
    expect(liveTerminal('a/03-pods', running, true, now)).toEqual({
      control: 'stop',
      output: '',
      badge: { tone: 'running', text: 'real output' },
      mark: { tone: 'running', text: 'running 02-wait first (hidden)…' },
    })
    expect(liveTerminal('a/04-logs', running, true, now).control).toBe('wait')

    const printing = replay(snapshot, {
      type: 'start',
      step: 'a/03-pods',
      startedAt: at(14, 2),
    }, { type: 'phase', step: 'a/03-pods', running: 'a/03-pods' }, { type: 'output', step: 'a/03-pods', chunk: 'NAME\n' }, { type: 'output', step: 'a/03-pods', chunk: 'server-1\n' })
    expect(liveTerminal('a/03-pods', printing, true, now)).toMatchObject({
      output: 'NAME\nserver-1\n',
      mark: { text: 'running…' },
    })

    const done = applyLiveEvent(printing, {
      type: 'end',
      run: {
        step: 'a/03-pods',
        state: 'matches',
        output: 'NAME\nserver-1',
        startedAt: at(14, 2),
        finishedAt: at(14, 3),
      },
    })
    expect(done.busy).toBeUndefined()
    expect(liveTerminal('a/03-pods', done, true, now)).toEqual({
      control: 'run',
      output: 'NAME\nserver-1',
      badge: { tone: 'info', text: 'real output, 14:03' },
      mark: { tone: 'ok', text: '✓ matches expected' },
    })
  })

  it('shows the lines that differ, expected then actual, at most four', () => {
    const { diff } = compareOutput('NAME   READY\nserver-{{hash}}   2/2\n', 'NAME   READY\nserver-7d9c5-x2x9q   1/2\n', 'pattern')
    const state = replay(snapshot, {
      type: 'end',
      run: {
        step: 'a/03-pods',
        state: 'differs',
        output: 'x',
        startedAt: at(14, 2),
        finishedAt: at(14, 2),
        reason: 'output differs from the .out file',
        diff: diff!,
      },
    })
    expect(liveTerminal('a/03-pods', state, true, now)).toMatchObject({
      mark: { tone: 'bad', text: '✗ differs from expected' },
      diff: {
        rows: [
          { side: 'expected', text: 'server-‹hash›   2/2' },
          { side: 'actual', text: 'server-7d9c5-x2x9q   1/2' },
        ],
        more: 0,
      },
    })

    const long = compareOutput(Array.from({ length: 9 }, (_, i) => `line ${i}`).join('\n'), Array.from({ length: 9 }, (_, i) => `LINE ${i}`).join('\n'), 'exact')
    const rows = differingLines(long.diff!)
    expect(rows).toHaveLength(18)
    const many = replay(snapshot, {
      type: 'end',
      run: {
        step: 'a/03-pods',
        state: 'differs',
        output: 'x',
        startedAt: at(14, 2),
        diff: long.diff!,
      },
    })
    // Both sides of the change, not four expected lines and no actual one.
    expect(liveTerminal('a/03-pods', many, true, now).diff).toEqual({
      rows: [
        { side: 'expected', text: 'line 0' },
        { side: 'expected', text: 'line 1' },
        { side: 'actual', text: 'LINE 0' },
        { side: 'actual', text: 'LINE 1' },
      ],
      more: 14,
    })
    expect(MAX_DIFF_ROWS).toBe(4)
    // Separate changes: each gets its lines while there is room.
    expect(shownDiff([
      {
        expected: ['a'],
        actual: ['A'],
      },
      {
        expected: ['b'],
        actual: ['B'],
      },
      {
        expected: ['c'],
        actual: [],
      },
    ], 4)).toEqual({
      rows: [
        { side: 'expected', text: 'a' },
        { side: 'actual', text: 'A' },
        { side: 'expected', text: 'b' },
        { side: 'actual', text: 'B' },
      ],
      more: 1,
    })
    expect(shownDiff([
      {
        expected: [],
        actual: ['x', 'y', 'z'],
      },
    ], 4).rows.map(row => row.text)).toEqual(['x', 'y', 'z'])
  })

  it('keeps the expected output, labelled, after a failed run, with its reason and last lines', () => {
    const state = replay(snapshot, {
      type: 'end',
      run: {
        step: 'a/03-pods',
        state: 'failed',
        output: 'one\ntwo\nthree\nerror: timed out waiting\n\n',
        startedAt: at(14, 2),
        reason: 'timed out after 20s',
      },
    })
    expect(liveTerminal('a/03-pods', state, true, now)).toEqual({
      control: 'run',
      badge: { tone: 'info', text: 'expected' },
      mark: { tone: 'bad', text: '✗ timed out after 20s' },
      tail: ['three', 'error: timed out waiting'],
    })
  })

  it('shows staged steps with their time and kept output, and offers them no run', () => {
    const state = replay(snapshot)
    expect(liveTerminal('a/01-create', state, true, now)).toEqual({
      control: 'none',
      badge: { tone: 'info', text: 'staged 13:40' },
      output: 'Creating cluster "startup-init" ...\n',
    })
    expect(liveTerminal('a/02-install', state, true, now)).toEqual({
      control: 'none',
      badge: { tone: 'bad', text: 'not staged yet: npm run stage' },
    })
    expect(liveTerminal('setup/01-install-cli', state, true, now)).toEqual({
      control: 'none',
      badge: { tone: 'info', text: 'not run from the slide: the live check needs the CLI first' },
    })
  })

  it('offers no control where the presenter does not act, or before the stream is up', () => {
    expect(liveTerminal('a/03-pods', replay(snapshot), false, now).control).toBe('none')
    expect(liveTerminal('a/03-pods', emptyLiveState(), true, now)).toEqual({ control: 'none' })
  })

  it('shows this page\'s refusals and a lost connection on the terminal', () => {
    const refused = replay(snapshot, { type: 'refused', step: 'a/03-pods', message: 'refused: a/04-logs is running; one step runs at a time' })
    expect(liveTerminal('a/03-pods', refused, true, now).mark).toEqual({ tone: 'bad', text: 'refused: a/04-logs is running; one step runs at a time' })
    // The next start clears it.
    expect(liveTerminal('a/03-pods', applyLiveEvent(refused, {
      type: 'start',
      step: 'a/03-pods',
      startedAt: at(14, 5),
    }), true, now).mark?.tone).toBe('running')

    const lost = applyLiveEvent(replay(snapshot), { type: 'lost', message: 'live steps: no connection to npm run present, retrying…' })
    expect(liveTerminal('a/03-pods', lost, true, now)).toEqual({
      control: 'none',
      mark: { tone: 'bad', text: 'live steps: no connection to npm run present, retrying…' },
    })
    // Reconnected: the new snapshot brings the state back.
    expect(liveTerminal('a/03-pods', applyLiveEvent(lost, snapshot), true, now)).toEqual({ control: 'run' })
  })
})

describe('verdicts and times', () => {
  it('reads the checker\'s judgement', () => {
    expect(verdictOf({ status: 'passed' }, true)).toBe('matches')
    expect(verdictOf({ status: 'passed' }, false)).toBe('done')
    expect(verdictOf({ status: 'failed', diff: '@@' }, true)).toBe('differs')
    expect(verdictOf({ status: 'failed' }, true)).toBe('failed')
  })

  it('gives the time of day, with the date when it is not today', () => {
    expect(clockOf(at(9, 5), now)).toBe('09:05')
    expect(clockOf(new Date(2026, 10, 27, 22, 15).toISOString(), now)).toBe('2026-11-27 22:15')
  })
})
