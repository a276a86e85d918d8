import type { Buffer } from 'node:buffer'
import type { StopSignal } from '../core/cli'
import type { StepResult } from '../snippet-check/run-step'
import type { Scenario, StepSpec } from '../snippet-check/scenarios'
import type { DemoEffect, DemoEvent, DemoPlan, PlanEntry } from './demo-plan'
import type { Paint } from './demo-render'
import { demoStart, demoTransition, parseKey } from './demo-plan'
import { commandLines, failureLines, hintText, oneLiner, paint, promptText, scenarioIntro, stepHeading, stoppedLine, summaryLines, verdictLine } from './demo-render'

// The terminal driver's IO: reads keys from an input stream, writes to an output, runs steps
// through an injected runner, and takes Ctrl-C from an injected signal source, so tests drive it
// through streams. What to do next is decided by demoTransition (demo-plan.ts), never here.

export type StepRunner = (step: StepSpec, options: { signal: AbortSignal, onOutput?: (chunk: string) => void }) => Promise<StepResult>

export interface DemoIO {
  input: NodeJS.ReadableStream
  output: { write: (text: string) => unknown }
  /** The input is a terminal that echoes what is typed; otherwise the driver ends each prompt line itself. */
  echo: boolean
  color: boolean
  runner: StepRunner
  /** Subscribes to Ctrl-C (SIGINT) and SIGTERM; returns the unsubscribe. */
  onSignal: (listener: (signal: StopSignal) => void) => () => void
  /** Milliseconds a character with --type; tests pass 0. */
  typeDelayMs: number
  sleep?: (ms: number) => Promise<void>
  /** Drop Enter presses typed while a step ran, so a nervous double Enter never runs the next step unseen (default: when echo). */
  discardTypeAhead?: boolean
}

export interface DemoRunOptions {
  root: string
  scenario: Scenario
  plan: DemoPlan
  type: boolean
  /** Lines shown after the scenario's title: which cluster and kubeconfig the steps use. */
  notice?: string[]
}

/** Lines from a stream, one at a time; null at its end. */
export class LineReader {
  private buffer = ''
  private readonly lines: string[] = []
  private ended = false
  private waiter: ((line: string | null) => void) | undefined
  private readonly onData = (chunk: string | Buffer) => {
    this.buffer += chunk.toString()
    for (let newline = this.buffer.indexOf('\n'); newline >= 0; newline = this.buffer.indexOf('\n')) {
      this.lines.push(this.buffer.slice(0, newline).replace(/\r$/, ''))
      this.buffer = this.buffer.slice(newline + 1)
    }
    this.deliver()
  }

  private readonly onEnd = () => {
    if (this.buffer !== '')
      this.lines.push(this.buffer)
    this.buffer = ''
    this.ended = true
    this.deliver()
  }

  constructor(private readonly stream: NodeJS.ReadableStream) {
    stream.on('data', this.onData)
    stream.on('end', this.onEnd)
  }

  private deliver(): void {
    if (!this.waiter)
      return
    if (this.lines.length > 0) {
      const waiter = this.waiter
      this.waiter = undefined
      waiter(this.lines.shift()!)
    }
    else if (this.ended) {
      const waiter = this.waiter
      this.waiter = undefined
      waiter(null)
    }
  }

  next(): Promise<string | null> {
    return new Promise((resolve) => {
      this.waiter = resolve
      this.deliver()
    })
  }

  /** Forgets a pending next() (its promise never settles). */
  cancel(): void {
    this.waiter = undefined
  }

  /** Drops complete lines typed ahead. */
  discard(): void {
    this.lines.length = 0
  }

  close(): void {
    this.stream.off('data', this.onData)
    this.stream.off('end', this.onEnd)
    this.stream.pause()
  }
}

/** Signals as they arrive, one at a time; one that arrives while nobody waits is kept for the next wait. */
class SignalQueue {
  private readonly queued: StopSignal[] = []
  private waiter: ((signal: StopSignal) => void) | undefined

  push(signal: StopSignal): void {
    if (this.waiter) {
      const waiter = this.waiter
      this.waiter = undefined
      waiter(signal)
    }
    else {
      this.queued.push(signal)
    }
  }

  take(): StopSignal | undefined {
    return this.queued.shift()
  }

  next(): Promise<StopSignal> {
    const queued = this.queued.shift()
    if (queued)
      return Promise.resolve(queued)
    return new Promise((resolve) => {
      this.waiter = resolve
    })
  }

  cancel(): void {
    this.waiter = undefined
  }
}

const defaultSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

export async function runDemo(options: DemoRunOptions, io: DemoIO): Promise<number> {
  const p = paint(io.color)
  const write = (text: string) => io.output.write(text)
  const writeLines = (lines: readonly string[]) => write(lines.map(line => `${line}\n`).join(''))
  const sleep = io.sleep ?? defaultSleep
  const reader = new LineReader(io.input)
  const signals = new SignalQueue()
  const unsubscribe = io.onSignal(signal => signals.push(signal))
  const { entries } = options.plan

  const ask = async (prompt: DemoEffect & { kind: 'ask' }): Promise<DemoEvent> => {
    write(promptText(prompt.prompt, p))
    const answer = await Promise.race([
      reader.next().then(line => ({ line })),
      signals.next().then(signal => ({ signal })),
    ])
    reader.cancel()
    signals.cancel()
    if ('signal' in answer) {
      write('\n')
      return { kind: 'signal', signal: answer.signal }
    }
    if (answer.line === null || !io.echo)
      write('\n')
    return answer.line === null
      ? { kind: 'eof' }
      : {
          kind: 'key',
          key: parseKey(answer.line),
        }
  }

  const typeOut = async (entry: PlanEntry): Promise<DemoEvent | undefined> => {
    const [open, close] = p.bold('\0').split('\0') as [string, string]
    for (const line of commandLines(entry.step, paint(false))) {
      const [prompt, text] = line.startsWith('$ ') ? ['$ ', line.slice(2)] : ['', line]
      write(p.dim(prompt) + open)
      for (const character of text) {
        write(character)
        if (io.typeDelayMs > 0)
          await sleep(io.typeDelayMs)
        const signal = signals.take()
        if (signal) {
          write(`${close}\n`)
          return { kind: 'signal', signal }
        }
      }
      write(`${close}\n`)
    }
    return undefined
  }

  const run = async (entry: PlanEntry, retry: boolean): Promise<DemoEvent> => {
    if (retry) {
      writeLines(entry.mode === 'shown'
        ? [p.cyan(`── again: ${entry.step.name} ──`), ...commandLines(entry.step, p)]
        : [])
      if (entry.mode === 'quiet')
        write(oneLiner(entry, p))
    }
    const controller = new AbortController()
    // Where the cursor is: after a shown step's output that did not end its line, or after a
    // quiet step's one-liner, which waits for its result.
    let atLineStart = true
    let oneLinerOpen = entry.mode === 'quiet'
    const endLine = () => {
      if (!atLineStart || oneLinerOpen)
        write('\n')
      atLineStart = true
      oneLinerOpen = false
    }
    const onOutput = entry.mode === 'shown'
      ? (chunk: string) => {
          if (chunk === '')
            return
          write(chunk)
          atLineStart = chunk.endsWith('\n')
        }
      : undefined
    const running = io.runner(entry.step, {
      signal: controller.signal,
      ...(onOutput ? { onOutput } : {}),
    })
      .then(result => ({ result }), (error: unknown) => ({ error }))
    let stopping = false
    for (;;) {
      const next = await Promise.race([running, signals.next().then(signal => ({ signal }))])
      if ('signal' in next) {
        controller.abort()
        // A terminal has echoed ^C where the cursor was.
        if (io.echo)
          atLineStart = false
        endLine()
        if (next.signal === 'SIGINT' && !stopping) {
          stopping = true
          writeLines([p.yellow('stopping the step… (Ctrl-C again quits)')])
          continue
        }
        return { kind: 'signal', signal: next.signal }
      }
      signals.cancel()
      if (io.discardTypeAhead ?? io.echo)
        reader.discard()
      if ('error' in next) {
        endLine()
        writeLines([p.red(`✗ could not run ${entry.step.name}: ${(next.error as Error).message}`)])
        return { kind: 'ran', outcome: 'failed' }
      }
      const { result } = next
      if (stopping) {
        endLine()
        writeLines([stoppedLine(p)])
        return { kind: 'ran', outcome: 'stopped' }
      }
      if (entry.mode === 'quiet') {
        if (result.status === 'passed') {
          writeLines([`${p.green('✓')} ${p.dim(`(${(result.durationMs / 1000).toFixed(1)}s)`)}`])
          return { kind: 'ran', outcome: 'matched' }
        }
        writeLines([
          p.red('✗'),
          verdictLine(entry.step, result, p),
          ...failureLines(options.root, entry, result, p),
        ])
        return { kind: 'ran', outcome: 'failed' }
      }
      endLine()
      writeLines([verdictLine(entry.step, result, p)])
      if (result.status === 'passed')
        return { kind: 'ran', outcome: 'matched' }
      writeLines(failureLines(options.root, entry, result, p))
      return { kind: 'ran', outcome: 'failed' }
    }
  }

  const announce = (entry: PlanEntry, type: boolean, color: Paint) => {
    if (entry.mode === 'skip') {
      writeLines([oneLiner(entry, color)])
      return
    }
    if (entry.mode === 'quiet') {
      write(oneLiner(entry, color))
      return
    }
    writeLines([...stepHeading(entry, color), ...(type ? [] : commandLines(entry.step, color))])
  }

  writeLines([...scenarioIntro(options.scenario, options.plan, p), ...(options.notice ?? [])])
  let { state, effects } = demoStart(entries, options.type)
  try {
    for (;;) {
      let event: DemoEvent | undefined
      for (const effect of effects) {
        switch (effect.kind) {
          case 'announce':
            announce(effect.entry, options.type, p)
            break
          case 'hint':
            writeLines([hintText(effect.prompt, p)])
            break
          case 'type':
            event = await typeOut(effect.entry)
            break
          case 'ask':
            event = await ask(effect)
            break
          case 'run':
            event = await run(effect.entry, effect.retry)
            break
          case 'finish':
            writeLines(summaryLines(options.scenario, effect.summary, effect.reason, p))
            return effect.exitCode
        }
        if (event)
          break
      }
      if (!event)
        throw new Error('the demo stopped with nothing to wait for')
      const next = demoTransition(entries, options.type, state, event)
      state = next.state
      effects = next.effects
    }
  }
  finally {
    unsubscribe()
    reader.close()
  }
}
