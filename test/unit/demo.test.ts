// The terminal driver, `npm run demo -- <scenario>`: its plan and state machine as pure
// functions; its IO loop driven through streams with a stand-in runner (no process); and the
// real CLI driven through its stdin, running the fixture's steps in a real bash against stand-in
// kind and kubectl (test/fixtures/demo/bin/, each marked as a stand-in). No cluster anywhere.
import type { ResultPromise } from 'execa'
import type { Buffer } from 'node:buffer'
import type { StopSignal } from '../../scripts/core/cli'
import type { StepResult } from '../../scripts/snippet-check/run-step'
import type { StepSpec } from '../../scripts/snippet-check/scenarios'
import type { StepRunner } from '../../scripts/talk/demo-loop'
import type { DemoEvent, DemoPlan, Transition } from '../../scripts/talk/demo-plan'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { compareOutput } from '../../scripts/snippet-check/compare-output'
import { readScenario, readScenarios } from '../../scripts/snippet-check/scenarios'
import { runDemo } from '../../scripts/talk/demo-loop'
import { demoPlan, demoScenario, demoStart, demoTransition, DemoUsageError, parseDemoArgs, parseKey } from '../../scripts/talk/demo-plan'
import { diffLines, expectedLines, paint, useColor, verdictLine } from '../../scripts/talk/demo-render'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const fixture = fileURLToPath(new URL('../fixtures/demo', import.meta.url))
const standIns = fileURLToPath(new URL('../fixtures/demo/bin', import.meta.url))
const talk = readScenario(fixture, 'talk')
const RUN = 'Enter: run it'
const TYPE = 'Enter: type it'
const CHOICE = 'r: retry   s: skip   q: quit'

function usageError(run: () => unknown): string {
  try {
    run()
  }
  catch (error) {
    if (error instanceof DemoUsageError)
      return error.message
    throw error
  }
  return 'no error'
}

function plan(options: { staged?: string[], from?: string, shownOnly?: boolean } = {}): DemoPlan {
  return demoPlan(talk, {
    staged: new Set(options.staged ?? []),
    shownOnly: options.shownOnly ?? false,
    ...(options.from === undefined ? {} : { from: options.from }),
  })
}

function modes(p: DemoPlan) {
  return p.entries.map(e => `${e.step.name} ${e.mode}${e.note ? `: ${e.note}` : ''}`)
}

describe('demo: the command line', () => {
  it('reads a scenario and its flags', () => {
    expect(parseDemoArgs([
      'talk',
      '--from',
      '05',
      '--shown-only',
      '--type',
      '--type-delay',
      '0',
      '--context',
      'mine',
      '--root',
      '/r',
    ], '/cwd')).toEqual({
      scenario: 'talk',
      root: '/r',
      from: '05',
      shownOnly: true,
      dryRun: false,
      type: true,
      typeDelayMs: 0,
      context: 'mine',
      help: false,
    })
    expect(parseDemoArgs(['talk', '--dry-run'], '/cwd')).toMatchObject({ root: '/cwd', dryRun: true, typeDelayMs: 30 })
    expect(parseDemoArgs(['--help'], '/cwd').help).toBe(true)
  })

  it('refuses bad flags with a clear message', () => {
    expect(usageError(() => parseDemoArgs([], '/'))).toBe('which scenario? e.g. npm run demo -- a-default-install')
    expect(usageError(() => parseDemoArgs(['a', 'b'], '/'))).toBe('one scenario at a time, got a b')
    expect(usageError(() => parseDemoArgs(['talk', '--fast'], '/'))).toMatch(/Unknown option '--fast'/)
    expect(usageError(() => parseDemoArgs(['talk', '--from'], '/'))).toMatch(/--from/)
    expect(usageError(() => parseDemoArgs([
      'talk',
      '--type',
      '--type-delay',
      'slow',
    ], '/'))).toBe('--type-delay must be a whole number of milliseconds (0-1000), got slow')
    expect(usageError(() => parseDemoArgs(['talk', '--type-delay', '5'], '/'))).toBe('--type-delay only applies with --type')
    expect(usageError(() => parseDemoArgs(['talk', '--from', '../x'], '/'))).toBe('--from takes a step\'s number, e.g. --from 07, got "../x"')
  })

  it('refuses an unknown scenario and one that never runs live', () => {
    const scenarios = readScenarios(fixture)
    expect(usageError(() => demoScenario(scenarios, 'nope'))).toBe('unknown scenario "nope"; scenarios: slow, talk')
    expect(usageError(() => demoScenario(scenarios, 'never'))).toBe('never is never run live (it deletes the clusters); its steps are in snippets/never/')
    expect(demoScenario(scenarios, 'talk').name).toBe('talk')
  })

  it('reads keys as single letters or words, then Enter', () => {
    expect([
      '',
      '  ',
      'r',
      'RETRY',
      's',
      'skip',
      'q',
      'quit',
      'x',
    ].map(parseKey)).toEqual(['enter', 'enter', 'retry', 'retry', 'skip', 'skip', 'quit', 'quit', 'other'])
  })
})

describe('demo: the step plan', () => {
  it('shows the slides\' steps, runs hidden ones quietly, and never runs the cluster\'s creation', () => {
    expect(modes(plan())).toEqual([
      '01-create-cluster skip: creates the cluster, which the driver needs before it starts',
      '02-use-context quiet: hidden, not staged yet: run quietly',
      '03-context shown',
      '04-hello shown',
      '05-differs shown',
      '06-fails shown',
      '07-wait quiet: hidden, run quietly',
      '08-last shown',
    ])
  })

  it('runs steps npm run stage has run again quietly, or skips them with --shown-only', () => {
    const staged = ['talk/01-create-cluster', 'talk/02-use-context']
    expect(modes(plan({ staged })).slice(0, 2)).toEqual([
      '01-create-cluster skip: creates the cluster, which the driver needs before it starts',
      '02-use-context quiet: staged, run again quietly',
    ])
    expect(modes(plan({ staged, shownOnly: true })).slice(0, 3)).toEqual([
      '01-create-cluster skip: creates the cluster, which the driver needs before it starts',
      '02-use-context skip: npm run stage has run it',
      '03-context shown',
    ])
    expect(plan({ staged, shownOnly: true }).notes).toEqual([])
    // Not staged yet: --shown-only still runs it, or the later steps would fail, and says so.
    expect(modes(plan({ shownOnly: true }))[1]).toBe('02-use-context quiet: hidden, not staged yet: run quietly')
    expect(plan({ shownOnly: true }).notes).toEqual(['--shown-only: npm run stage has not run 02; running them'])
  })

  it('--from NN starts at that step (by number or name), with the hidden steps right before it', () => {
    for (const from of ['05', '5', '05-differs']) {
      expect(plan({ from }).entries.map(e => e.step.name)).toEqual([
        '05-differs',
        '06-fails',
        '07-wait',
        '08-last',
      ])
    }
    const last = plan({ from: '08' })
    expect(last.entries.map(e => `${e.step.name} ${e.position}/${e.of}`)).toEqual(['07-wait 7/8', '08-last 8/8'])
    expect(last.before.map(s => s.name)).toHaveLength(6)
  })

  it('names every step when --from names none', () => {
    expect(usageError(() => plan({ from: '12' }))).toBe([
      'no step 12 in talk; its steps:',
      ...talk.steps.map(s => `  ${s.name}`),
    ].join('\n'))
  })
})

describe('demo: the state machine', () => {
  const entries = plan().entries
  const drive = (events: DemoEvent[], type = false) => {
    let transition: Transition = demoStart(entries, type)
    const seen = [transition]
    for (const event of events) {
      transition = demoTransition(entries, type, transition.state, event)
      seen.push(transition)
    }
    return seen
  }
  const kinds = (t: Transition) => t.effects.map(e => e.kind === 'announce' || e.kind === 'run' || e.kind === 'ask' || e.kind === 'type'
    ? `${e.kind} ${e.entry.step.name}${e.kind === 'ask' ? ` ${e.prompt}` : ''}${e.kind === 'run' && e.retry ? ' again' : ''}`
    : e.kind === 'finish' ? `finish ${e.exitCode}` : e.kind)
  const key = (k: 'enter' | 'retry' | 'skip' | 'quit' | 'other'): DemoEvent => ({ kind: 'key', key: k })
  const ran = (outcome: 'matched' | 'failed' | 'stopped'): DemoEvent => ({ kind: 'ran', outcome })

  it('announces skipped steps, runs quiet ones, and asks before a shown one', () => {
    expect(kinds(demoStart(entries, false))).toEqual(['announce 01-create-cluster', 'announce 02-use-context', 'run 02-use-context'])
    const [, afterQuiet, afterEnter] = drive([ran('matched'), key('enter')])
    expect(kinds(afterQuiet!)).toEqual(['announce 03-context', 'ask 03-context run'])
    expect(kinds(afterEnter!)).toEqual(['run 03-context'])
  })

  it('goes through a whole run: every step matched exits 0', () => {
    const seen = drive([
      ran('matched'),
      key('enter'),
      ran('matched'),
      key('enter'),
      ran('matched'),
      key('enter'),
      ran('matched'),
      key('enter'),
      ran('matched'),
      ran('matched'),
      key('enter'),
      ran('matched'),
    ])
    expect(kinds(seen.at(-1)!)).toEqual(['finish 0'])
    const finish = seen.at(-1)!.effects[0]!
    expect(finish.kind === 'finish' && finish.summary).toEqual({
      matched: ['02-use-context', '03-context', '04-hello', '05-differs', '06-fails', '07-wait', '08-last'],
      failed: [],
      notRun: [],
      planSkipped: ['01-create-cluster'],
    })
  })

  it('on a failure asks retry, skip or quit; retry runs it again, skip moves on and exits 1 at the end', () => {
    const seen = drive([
      ran('matched'),
      key('enter'),
      ran('failed'),
      key('other'),
      key('enter'),
      key('retry'),
      ran('failed'),
      key('skip'),
    ])
    expect(kinds(seen[3]!)).toEqual(['ask 03-context choice'])
    expect(kinds(seen[4]!)).toEqual(['hint', 'ask 03-context choice'])
    expect(kinds(seen[5]!)).toEqual(['hint', 'ask 03-context choice'])
    expect(kinds(seen[6]!)).toEqual(['run 03-context again'])
    expect(kinds(seen[8]!)).toEqual(['announce 04-hello', 'ask 04-hello run'])
    expect(seen[8]!.state.summary.failed).toEqual(['03-context'])
  })

  it('quit after a failure exits 1, naming the failed step and the ones not run', () => {
    const seen = drive([ran('matched'), key('enter'), ran('failed'), key('quit')])
    const finish = seen.at(-1)!.effects[0]!
    expect(finish).toMatchObject({ kind: 'finish', exitCode: 1, reason: 'quit' })
    expect(finish.kind === 'finish' && finish.summary.failed).toEqual(['03-context'])
    expect(finish.kind === 'finish' && finish.summary.notRun).toEqual([
      '04-hello',
      '05-differs',
      '06-fails',
      '07-wait',
      '08-last',
    ])
  })

  it('a stopped step offers the same choice; Ctrl-C at a prompt or a second one quits with 130', () => {
    const stopped = drive([ran('matched'), key('enter'), ran('stopped')])
    expect(kinds(stopped.at(-1)!)).toEqual(['ask 03-context choice'])
    const quit = demoTransition(entries, false, stopped.at(-1)!.state, { kind: 'signal', signal: 'SIGINT' })
    expect(kinds(quit)).toEqual(['finish 130'])
    const whileRunning = drive([ran('matched'), key('enter'), { kind: 'signal', signal: 'SIGINT' }])
    expect(kinds(whileRunning.at(-1)!)).toEqual(['finish 130'])
    const term = drive([{ kind: 'signal', signal: 'SIGTERM' }])
    expect(kinds(term.at(-1)!)).toEqual(['finish 143'])
  })

  it('skipping at the run prompt, or the end of input, leaves steps not run: exit 1', () => {
    const skipped = drive([ran('matched'), key('skip')])
    expect(skipped.at(-1)!.state.summary.notRun).toEqual(['03-context'])
    const eof = drive([ran('matched'), { kind: 'eof' }])
    expect(eof.at(-1)!.effects[0]).toMatchObject({ kind: 'finish', exitCode: 1, reason: 'eof' })
  })

  it('with --type, Enter types the command, then Enter runs it', () => {
    const seen = drive([ran('matched'), key('enter'), key('enter')], true)
    expect(kinds(seen[1]!)).toEqual(['announce 03-context', 'ask 03-context type'])
    expect(kinds(seen[2]!)).toEqual(['type 03-context', 'ask 03-context run'])
    expect(kinds(seen[3]!)).toEqual(['run 03-context'])
  })
})

describe('demo: what it prints', () => {
  it('colours only a terminal, and never with NO_COLOR', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true)
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(useColor({ isTTY: false }, {})).toBe(false)
    expect(useColor({}, {})).toBe(false)
    expect(paint(false).red('x')).toBe('x')
    expect(paint(true).red('x')).toBe('\x1B[31mx\x1B[39m')
  })

  it('labels every output a step may print as expected, and says when an alternative matched', () => {
    const hello = talk.steps.find(step => step.name === '04-hello')!
    // `alternatives: {offline: why}` in scenario.yaml: another output the first exit status may print.
    const step = {
      ...hello,
      alternatives: [
        {
          name: 'offline',
          reason: 'no route to the version check',
          path: join(fixture, 'snippets/talk/08-last.out'),
        },
      ],
    }
    expect(expectedLines(fixture, step, paint(false))).toEqual([
      'expected (snippets/talk/04-hello.out):',
      '  server-‹hash›  1/1  Running  hello',
      'or expected, "offline" (snippets/talk/08-last.out):',
      '  (no route to the version check)',
      '  all done',
    ])
    const passed = {
      id: step.id,
      status: 'passed' as const,
      durationMs: 1500,
      attempts: 1,
      output: 'all done\n',
      exitCode: 0,
      reason: 'printed the "offline" alternative: no route to the version check',
    }
    expect(verdictLine(step, passed, paint(false))).toBe('✓ matches an alternative expected output (1.5s)\n  printed the "offline" alternative: no route to the version check')
    expect(verdictLine(step, { ...passed, reason: undefined }, paint(false))).toBe('✓ matches the expected output (1.5s)')
  })

  it('turns a unified diff into lines labelled expected and printed', () => {
    const { diff } = compareOutput('INIT MAIN\nserver-{{hash}} 1/1\nlast\n', 'INIT MAIN\nserver-abc 0/1\nlast\n', 'pattern', 'talk/x.out')
    expect(diffLines(diff!, paint(false))).toEqual([
      '  - expected   + printed',
      '    INIT MAIN',
      '  - server-‹hash› 1/1',
      '  + server-abc 0/1',
      '    last',
    ])
  })
})

// The IO loop, through streams: a stand-in runner answers for the steps, and signals are
// delivered by hand.

function stepResult(step: StepSpec, over: Partial<StepResult> = {}): StepResult {
  return {
    id: step.id,
    status: 'passed',
    durationMs: 120,
    attempts: 1,
    output: '',
    exitCode: 0,
    ...over,
  }
}

/** What each fixture step prints, judged as the checker would. */
const printed: Record<string, { output: string, exitCode: number }> = {
  '02-use-context': { output: 'Switched to context "kind-demo".\n', exitCode: 0 },
  '03-context': { output: 'kind-demo\n', exitCode: 0 },
  '04-hello': { output: 'server-7c9d8f6b4-x2x4q   1/1   Running   hello\n', exitCode: 0 },
  '05-differs': { output: 'INIT   MAIN\nlinkerd-proxy   server\n', exitCode: 0 },
  '06-fails': { output: 'curl: (7) Failed to connect to server port 80\n', exitCode: 7 },
  '07-wait': { output: 'waited\n', exitCode: 0 },
  '08-last': { output: 'all done\n', exitCode: 0 },
}

const standInRunner: StepRunner = async (step, { onOutput }) => {
  const { output, exitCode } = printed[step.name]!
  onOutput?.(output)
  if (!step.exit.includes(exitCode)) {
    return stepResult(step, {
      status: 'failed',
      output,
      exitCode,
      reason: `exited ${exitCode}, expected ${step.exit.join(' or ')}`,
    })
  }
  if (step.compare === 'none')
    return stepResult(step, { output })
  const comparison = compareOutput(readFileSync(step.expectedOutput!, 'utf8'), output, step.compare, `${step.id}.out`)
  return comparison.matches
    ? stepResult(step, { output })
    : stepResult(step, {
        status: 'failed',
        output,
        reason: 'output differs from the .out file',
        diff: comparison.diff!,
      })
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1
}

function loop(demoPlanned: DemoPlan, options: { type?: boolean, runner?: StepRunner, typeDelayMs?: number, scenario?: string } = {}) {
  const input = new PassThrough()
  let text = ''
  const sleeps: number[] = []
  let listener: ((signal: StopSignal) => void) | undefined
  const calls: string[] = []
  const runner = options.runner ?? standInRunner
  const done = runDemo({
    root: fixture,
    scenario: readScenario(fixture, options.scenario ?? 'talk'),
    plan: demoPlanned,
    type: options.type ?? false,
  }, {
    input,
    output: {
      write: (chunk: string) => { text += chunk },
    },
    echo: false,
    color: false,
    typeDelayMs: options.typeDelayMs ?? 0,
    sleep: async (ms) => { sleeps.push(ms) },
    runner: (step, o) => {
      calls.push(step.name)
      return runner(step, o)
    },
    onSignal: (l) => {
      listener = l
      return () => {
        listener = undefined
      }
    },
  })
  return {
    done,
    calls,
    sleeps,
    output: () => text,
    /** Waits until `needle` has been printed `count` times. */
    async until(needle: string, count = 1) {
      for (let waited = 0; occurrences(text, needle) < count; waited += 5) {
        if (waited > 5000)
          throw new Error(`"${needle}" not printed ${count} times; output:\n${text}`)
        await new Promise(resolve => setTimeout(resolve, 5))
      }
    },
    send: (line: string) => input.write(`${line}\n`),
    end: () => input.end(),
    signal: (signal: StopSignal = 'SIGINT') => listener!(signal),
  }
}

describe('demo: the loop, driven through its input', () => {
  it('enter runs a step, streams what it prints and says it matches', async () => {
    const run = loop(plan({ from: '03' }))
    await run.until(RUN)
    expect(run.calls).toEqual([])
    expect(run.output()).toContain('── 03-context · 3 of 8 ──\n# The context the step runs with: the private copy\'s, never yours.\n$ kubectl config current-context\n')
    run.send('')
    await run.until(RUN, 2)
    expect(run.calls).toEqual(['03-context'])
    expect(run.output()).toContain('kind-demo\n✓ matches the expected output (0.1s)\n')
    run.end()
    expect(await run.done).toBe(1)
  })

  it('a mismatch shows the diff and the expected output, then retry, skip or quit', async () => {
    const run = loop(plan({ from: '05' }))
    await run.until(RUN)
    run.send('')
    await run.until(CHOICE)
    const shown = run.output()
    expect(shown).toContain([
      'INIT   MAIN',
      'linkerd-proxy   server',
      '✗ differs from the expected output (0.1s)',
      '  - expected   + printed',
      '    INIT   MAIN',
      '  - linkerd-init,linkerd-proxy   server',
      '  + linkerd-proxy   server',
      'expected (snippets/talk/05-differs.out):',
      '  INIT   MAIN',
      '  linkerd-init,linkerd-proxy   server',
      `${CHOICE}   (then Enter)  › `,
    ].join('\n'))
    run.send('nonsense')
    await run.until('type r, s or q (or retry, skip, quit), then Enter')
    run.send('retry')
    await run.until(CHOICE, 3)
    expect(run.calls).toEqual(['05-differs', '05-differs'])
    expect(run.output()).toContain('── again: 05-differs ──')
    run.send('s')
    await run.until(RUN, 2)
    expect(run.output()).toContain('── 06-fails · 6 of 8 ──')
    run.send('')
    await run.until(CHOICE, 4)
    expect(run.output()).toContain('curl: (7) Failed to connect to server port 80\n✗ exited 7, expected 0 (0.1s)\nexpected (snippets/talk/06-fails.out):\n  hello from server\n')
    run.send('q')
    expect(await run.done).toBe(1)
    expect(run.calls).toEqual(['05-differs', '05-differs', '06-fails'])
    expect(run.output()).toContain('── talk: 0 passed · 2 failed · 2 not run ──\nfailed: 05-differs, 06-fails\nnot run: 07-wait, 08-last\n')
  })

  it('a whole scenario where every step matches exits 0', async () => {
    const run = loop(plan({ from: '03' }), {
      runner: async (step, o) => step.name === '05-differs' || step.name === '06-fails'
        ? stepResult(step)
        : standInRunner(step, o),
    })
    for (let prompt = 1; prompt <= 5; prompt++) {
      await run.until(RUN, prompt)
      run.send('')
    }
    expect(await run.done).toBe(0)
    expect(run.output()).toContain('· 07-wait: hidden, run quietly … ✓ (0.1s)\n')
    expect(run.output()).toContain('── talk: 6 passed ──')
  })

  it('a quiet step that fails shows what it printed and the expected output', async () => {
    const run = loop(plan(), {
      runner: async step => stepResult(step, {
        status: 'failed',
        exitCode: 1,
        output: 'error: no context exists with the name: "kind-demo"\n',
        reason: 'exited 1, expected 0',
      }),
    })
    await run.until(CHOICE)
    expect(run.output()).toContain([
      '· 01-create-cluster: skipped, creates the cluster, which the driver needs before it starts',
      '· 02-use-context: hidden, not staged yet: run quietly … ✗',
      '✗ exited 1, expected 0 (0.1s)',
      'printed:',
      '  error: no context exists with the name: "kind-demo"',
      'expected (snippets/talk/02-use-context.out):',
      '  Switched to context "kind-demo".',
    ].join('\n'))
    run.send('q')
    expect(await run.done).toBe(1)
  })

  it('--type types the command out, at the injected speed, before Enter runs it', async () => {
    const run = loop(plan({ from: '04' }), { type: true, typeDelayMs: 7 })
    await run.until(TYPE)
    expect(run.output()).not.toContain('$ echo')
    run.send('')
    await run.until(RUN)
    const command = 'echo "server-7c9d8f6b4-x2x4q   1/1   Running   $GREETING"'
    expect(run.output()).toContain(`$ ${command}\n${RUN}`)
    expect(run.sleeps).toHaveLength(command.length)
    expect(new Set(run.sleeps)).toEqual(new Set([7]))
    run.send('q')
    expect(await run.done).toBe(1)
  })

  it('ctrl-C stops the running step, leaves the cluster, offers the choice; a second Ctrl-C quits with 130', async () => {
    const slow: StepRunner = (step, { signal, onOutput }) => new Promise((resolve) => {
      onOutput?.('waiting for the rollout')
      signal.addEventListener('abort', () => resolve(stepResult(step, { status: 'failed', reason: 'stopped: the run was interrupted', exitCode: 143 })))
    })
    const run = loop(plan({ from: '03' }), { runner: slow })
    await run.until(RUN)
    run.send('')
    await run.until('waiting for the rollout')
    run.signal()
    await run.until(CHOICE)
    expect(run.output()).toContain('waiting for the rollout\nstopping the step… (Ctrl-C again quits)\n■ stopped (Ctrl-C); the cluster is left as it is\n')
    run.send('r')
    await run.until('waiting for the rollout', 2)
    run.signal()
    await run.until(CHOICE, 2)
    run.signal()
    expect(await run.done).toBe(130)
    expect(run.output()).toContain('stopped by Ctrl-C; the cluster is left as it is')
    expect(run.calls).toEqual(['03-context', '03-context'])
  })

  it('a second Ctrl-C while the step is still stopping quits at once', async () => {
    const stubborn: StepRunner = () => new Promise(() => {})
    const run = loop(plan({ from: '03' }), { runner: stubborn })
    await run.until(RUN)
    run.send('')
    await new Promise(resolve => setTimeout(resolve, 10))
    run.signal()
    await run.until('Ctrl-C again quits')
    run.signal()
    expect(await run.done).toBe(130)
  })
})

// The real CLI, as `npm run demo` starts it, with stand-in kind and kubectl.

interface Box {
  root: string
  home: string
  /** The person's own kubeconfig: steps must never see it. */
  personal: string
  env: Record<string, string>
  log: () => string[]
}

function box(options: { cluster?: boolean } = {}): Box {
  const dir = mkdtempSync(join(tmpdir(), 'demo-test-'))
  const root = join(dir, 'root')
  const home = join(dir, 'home')
  cpSync(fixture, root, { recursive: true })
  mkdirSync(join(home, 'stand-in-clusters'), { recursive: true })
  if (options.cluster ?? true)
    writeFileSync(join(home, 'stand-in-clusters', 'demo'), '')
  const personal = join(home, 'personal-kubeconfig')
  writeFileSync(personal, 'current-context: production\n')
  return {
    root,
    home,
    personal,
    env: {
      HOME: home,
      PATH: `${standIns}:${process.env.PATH}`,
      KUBECONFIG: personal,
      NPM_CONFIG_UPDATE_NOTIFIER: 'false',
    },
    log: () => existsSync(join(home, 'stand-in.log'))
      ? readFileSync(join(home, 'stand-in.log'), 'utf8').trim().split('\n')
      : [],
  }
}

function cli(b: Box, args: string[]) {
  const child: ResultPromise = execa('node', [
    '--import',
    'tsx',
    'scripts/demo.ts',
    '--root',
    b.root,
    ...args,
  ], {
    cwd: repo,
    preferLocal: true,
    reject: false,
    env: b.env,
    stdin: 'pipe',
  })
  let text = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    text += chunk.toString()
  })
  return {
    child,
    output: () => text,
    async until(needle: string, count = 1) {
      for (let waited = 0; occurrences(text, needle) < count; waited += 20) {
        if (waited > 20_000)
          throw new Error(`"${needle}" not printed ${count} times; output:\n${text}`)
        await new Promise(resolve => setTimeout(resolve, 20))
      }
    },
    send: (line: string) => child.stdin!.write(`${line}\n`),
  }
}

describe('demo: the CLI through its stdin, with stand-in kind and kubectl', { timeout: 60_000 }, () => {
  it('--dry-run prints every command and expected output, needs no cluster and runs nothing', async () => {
    const b = box({ cluster: false })
    const result = await cli(b, ['talk', '--dry-run']).child
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('dry run: nothing is run')
    expect(result.stdout).toContain('── 04-hello · 4 of 8 ──\n# A pod name with a generated part: matches its placeholder.\n$ echo "server-7c9d8f6b4-x2x4q   1/1   Running   $GREETING"\nexpected (snippets/talk/04-hello.out):\n  server-‹hash›  1/1  Running  hello\n')
    expect(result.stdout).toContain('── 06-fails · 6 of 8 ──\n# The client cannot connect.\n$ echo "curl: (7) Failed to connect to server port 80" >&2\n$ exit 7\n')
    expect(result.stdout).toContain('(skipped: creates the cluster, which the driver needs before it starts)')
    expect(b.log()).toEqual([])
    expect(existsSync(join(b.root, '.talk'))).toBe(false)
  })

  it('refuses to run without the scenario\'s kind cluster, saying how to create it (exit 3)', async () => {
    const b = box({ cluster: false })
    const result = await cli(b, ['talk']).child
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toBe([
      'refused: no kind cluster named demo; the driver runs only on it.',
      'Create it with: npm run stage',
      '           or: bash snippets/talk/01-create-cluster.sh',
      'On a cluster of your own: npm run demo -- talk --context NAME',
    ].join('\n'))
    expect(b.log()).toEqual(['kind get clusters'])
  })

  it('runs a scenario on the kind cluster\'s private kubeconfig: matches, mismatch, failure, retry, skip', async () => {
    const b = box()
    const run = cli(b, ['talk'])
    await run.until(RUN)
    expect(run.output()).toContain('steps run on kind\'s demo only (.talk/kubeconfig/demo.yaml);\nyour kubeconfig and current context are not used\n')
    expect(run.output()).toContain('· 02-use-context: hidden, not staged yet: run quietly … ✓')
    run.send('')
    await run.until(RUN, 2)
    expect(run.output()).toContain('$ kubectl config current-context\nEnter: run it   s: skip   q: quit  › \nkind-demo\n✓ matches the expected output')
    run.send('')
    await run.until(RUN, 3)
    run.send('')
    await run.until(CHOICE)
    expect(run.output()).toContain('  - linkerd-init,linkerd-proxy   server\n  + linkerd-proxy   server\nexpected (snippets/talk/05-differs.out):\n')
    run.send('s')
    await run.until(RUN, 4)
    run.send('')
    await run.until(CHOICE, 2)
    expect(run.output()).toContain('✗ exited 7, expected 0')
    run.send('r')
    await run.until(CHOICE, 3)
    expect(run.output()).toContain('── again: 06-fails ──')
    expect(occurrences(run.output(), 'curl: (7) Failed to connect to server port 80\n✗ exited 7, expected 0')).toBe(2)
    run.send('skip')
    await run.until(RUN, 5)
    expect(run.output()).toContain('· 07-wait: hidden, run quietly … ✓')
    run.send('')
    const result = await run.child
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('all done\n✓ matches the expected output')
    expect(result.stdout).toContain('── talk: 5 passed · 2 failed · 1 skipped ──\nfailed: 05-differs, 06-fails')
    // Every step got the private kubeconfig, written from kind; the person's was never read.
    const kubeconfig = join(b.root, '.talk/kubeconfig/demo.yaml')
    expect(b.log()).toEqual([
      'kind get clusters',
      'kind get kubeconfig --name demo',
      `kubectl config use-context kind-demo (KUBECONFIG=${kubeconfig})`,
      `kubectl config current-context (KUBECONFIG=${kubeconfig})`,
    ])
    expect(readFileSync(kubeconfig, 'utf8')).toContain('current-context: kind-demo')
    expect(readFileSync(b.personal, 'utf8')).toBe('current-context: production\n')
    // What each step printed is kept for the slides.
    expect(readFileSync(join(b.root, '.talk/outputs/talk/05-differs.out'), 'utf8')).toBe('INIT   MAIN\nlinkerd-proxy   server\n')
  })

  it('--from and --shown-only: starts mid-scenario, skips what npm run stage ran', async () => {
    const b = box()
    mkdirSync(join(b.root, '.talk'), { recursive: true })
    writeFileSync(join(b.root, '.talk/state.json'), JSON.stringify({
      clusters: {
        demo: { createdAt: '2026-01-01T00:00:00Z' },
      },
      staged: {
        'talk/02-use-context': { finishedAt: '2026-01-01T00:01:00Z' },
      },
    }))
    const shownOnly = cli(b, ['talk', '--shown-only'])
    await shownOnly.until(RUN)
    expect(shownOnly.output()).toContain('· 02-use-context: skipped, npm run stage has run it\n')
    shownOnly.send('q')
    expect((await shownOnly.child).exitCode).toBe(1)
    expect(b.log().some(line => line.includes('use-context'))).toBe(false)

    const from = cli(b, ['talk', '--from', '08'])
    await from.until(RUN)
    expect(from.output()).toContain('from 7: not running 01, 02, 03, 04, 05, 06\n')
    expect(from.output()).toContain('· 07-wait: hidden, run quietly … ✓')
    from.send('')
    const result = await from.child
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('── talk: 2 passed ──')
  })

  it('--type with no delay types the command, then runs it', async () => {
    const b = box()
    const run = cli(b, ['talk', '--from', '08', '--type', '--type-delay', '0'])
    await run.until(TYPE)
    expect(run.output()).not.toContain('$ echo "all done"')
    run.send('')
    await run.until(RUN)
    expect(run.output()).toContain('$ echo "all done"\nEnter: run it')
    run.send('')
    expect((await run.child).exitCode).toBe(0)
  })

  it('--context NAME: a private copy of that context, renamed, in a file of its own, and said loudly', async () => {
    const b = box({ cluster: false })
    mkdirSync(join(b.home, 'stand-in-contexts'))
    writeFileSync(join(b.home, 'stand-in-contexts', 'attendee'), 'https://attendee.example:6443')
    const run = cli(b, ['talk', '--context', 'attendee', '--from', '03'])
    await run.until(RUN)
    expect(run.output()).toContain([
      '⚠ --context attendee: steps run on YOUR context attendee,',
      '  not on kind\'s demo. A private copy, renamed kind-demo,',
      '  is in .talk/kubeconfig/demo.from-context.yaml; your kubeconfig is unchanged.',
    ].join('\n'))
    run.send('')
    await run.until(RUN, 2)
    expect(run.output()).toContain('kind-demo\n✓ matches the expected output')
    run.send('q')
    expect((await run.child).exitCode).toBe(1)
    const copyFile = join(b.root, '.talk/kubeconfig/demo.from-context.yaml')
    const copy = readFileSync(copyFile, 'utf8')
    expect(copy).toContain('server: https://attendee.example:6443')
    expect(copy).toContain('current-context: kind-demo')
    expect((parse(copy) as { contexts: { name: string }[] }).contexts.map(c => c.name)).toEqual(['kind-demo'])
    expect(readFileSync(b.personal, 'utf8')).toBe('current-context: production\n')
    // The talk kubeconfig, which stage, --check, --reset and present use, is not written: they
    // would otherwise reach the attendee's cluster under the name kind-demo.
    const kubeconfig = join(b.root, '.talk/kubeconfig/demo.yaml')
    expect(existsSync(kubeconfig)).toBe(false)
    // Only reading the context sees the person's kubeconfig; kind is never asked; the step gets the copy.
    expect(b.log()).toEqual([
      `kubectl config view --minify --flatten --context attendee (KUBECONFIG=${b.personal})`,
      `kubectl config current-context (KUBECONFIG=${copyFile})`,
    ])

    // Without --context, only kind's cluster: refused while kind has none, and once it has, its
    // steps get the talk kubeconfig, written from kind before any step runs, never the copy.
    expect((await cli(b, ['talk']).child).exitCode).toBe(3)
    writeFileSync(join(b.home, 'stand-in-clusters', 'demo'), '')
    const kind = cli(b, ['talk', '--from', '03'])
    await kind.until(RUN)
    expect(readFileSync(kubeconfig, 'utf8')).not.toContain('attendee')
    expect(readFileSync(kubeconfig, 'utf8')).toContain('server: https://127.0.0.1:40123')
    kind.send('')
    await kind.until(RUN, 2)
    kind.send('q')
    expect((await kind.child).exitCode).toBe(1)
    expect(b.log().at(-1)).toBe(`kubectl config current-context (KUBECONFIG=${kubeconfig})`)
  })

  it('refuses an unknown context, scenario or step, and bad flags, running nothing', async () => {
    const b = box()
    const context = await cli(b, ['talk', '--context', 'nowhere']).child
    expect(context.exitCode).toBe(3)
    expect(context.stderr).toBe('refused: no context nowhere in your kubeconfig (kubectl: error: cannot locate context nowhere);\nkubectl config get-contexts lists them')
    const [scenario, step, flag, never] = await Promise.all([
      cli(b, ['nope']).child,
      cli(b, ['talk', '--from', '42']).child,
      cli(b, ['talk', '--loud']).child,
      cli(b, ['never']).child,
    ])
    expect([scenario.exitCode, step.exitCode, flag.exitCode, never.exitCode]).toEqual([2, 2, 2, 2])
    expect(scenario.stderr).toBe('unknown scenario "nope"; scenarios: slow, talk')
    expect(step.stderr).toContain('no step 42 in talk; its steps:\n  01-create-cluster\n')
    expect(flag.stderr).toContain('Unknown option \'--loud\'')
    expect(flag.stderr).toContain('usage: npm run demo -- <scenario>')
    expect(never.stderr).toBe('never is never run live (it deletes the clusters); its steps are in snippets/never/')
    expect(b.log()).toEqual([`kubectl config view --minify --flatten --context nowhere (KUBECONFIG=${b.personal})`])
  })

  it('ctrl-C (SIGINT) stops the running step and offers the choice; a second one exits 130', async () => {
    const b = box()
    const run = cli(b, ['slow'])
    await run.until(RUN)
    run.send('')
    const marker = join(b.home, 'long-step-started')
    for (let waited = 0; !existsSync(marker) && waited < 20_000; waited += 50)
      await new Promise(resolve => setTimeout(resolve, 50))
    expect(existsSync(marker)).toBe(true)
    run.child.kill('SIGINT')
    await run.until(CHOICE)
    expect(run.output()).toContain('started\nstopping the step… (Ctrl-C again quits)\n■ stopped (Ctrl-C); the cluster is left as it is\n')
    run.child.kill('SIGINT')
    const result = await run.child
    expect(result.exitCode).toBe(130)
    expect(result.stdout).toContain('stopped by Ctrl-C; the cluster is left as it is\n── slow: 0 passed · 1 failed · 1 not run ──')
    expect(result.stdout).not.toContain('finished')
  })
})
