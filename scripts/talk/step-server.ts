import type { IncomingMessage, ServerResponse } from 'node:http'
import type { LiveEvent, LiveRun, StepAvailability } from '../../model/live-steps'
import type { StepResult } from '../snippet-check/run-step'
import type { Scenario, StepSpec } from '../snippet-check/scenarios'
import type { Refusal } from './step-server-checks'
import type { TalkState } from './talk-files'
import { Buffer } from 'node:buffer'
import { randomBytes } from 'node:crypto'
import process from 'node:process'
import { LIVE_STEPS_BASE, LIVE_STEPS_EVENTS, LIVE_STEPS_RUN, LIVE_STEPS_STOP, LIVE_STEPS_TOKEN_HEADER, verdictOf } from '../../model/live-steps'
import { chainFor } from '../snippet-check/scenarios'
import { originRefusal, stepIdRefusal, tokenRefusal } from './step-server-checks'
import { keptOutput, readTalkState } from './talk-files'
import { identityOf, identityRefusal, liveNodeId } from './talk-identity'
import { runTalkStep, stepsForRun, writeTalkKubeconfig } from './talk-steps'

// The endpoint behind the slides' run controls in `npm run present`: a Connect-style middleware
// the Vite plugin (step-server-plugin.ts) mounts on Slidev's dev server. It takes a step id,
// never command text; runs the step's hidden predecessors quietly and then the step on its talk
// cluster, one run at a time; and streams what it prints to every open deck page as
// Server-Sent Events. Every request must come from the deck page itself (loopback Host, same
// origin) and carry the token made at this start, which only the page holds. A run is accepted
// only on a staged cluster (readiness), and a running step never outlives the server: when the
// process exits or is signalled, the step's process group is signalled at once.

export type StepRunner = (scenario: Scenario, step: StepSpec, options: {
  signal: AbortSignal
  onOutput?: (chunk: string) => void
}) => Promise<StepResult>

/** Whether a step of `scenario` may run now; undefined when it may, else the refusal to answer with. */
export type Readiness = (scenario: Scenario) => Promise<Refusal | undefined>

export interface StepServerOptions {
  root: string
  /** Read once, at start: a request can only name a step that is in them. */
  scenarios: readonly Scenario[]
  pins: Readonly<Record<string, string>>
  /** Tests pass a fake; the default runs the step on its talk cluster (runTalkStep). */
  runner?: StepRunner
  /**
   * Checked before a run is accepted. The default (talkReadiness) refuses a scenario whose
   * cluster is not staged, or not the cluster staging created, and writes the cluster's
   * kubeconfig from kind; tests of the HTTP rules with a fake runner pass their own.
   */
  readiness?: Readiness
  /** The environment the default runner hands the tools (tests: the stand-ins' PATH and HOME). */
  env?: NodeJS.ProcessEnv
  /** One line per run for the presenter's terminal. */
  log?: (line: string) => void
  keepAliveMs?: number
}

export type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void

export interface StepServer {
  /** Made with crypto.randomBytes at each start; the deck page gets it in a meta tag. */
  token: string
  middleware: Middleware
  /** Stops a running step and ends every event stream (the dev server is closing). */
  close: () => void
}

const MAX_BODY_BYTES = 1024

/**
 * Whether `scenario` may run from its slide: its cluster is recorded in .talk/state.json with
 * every staged step of the scenario and of those staged before it on that cluster; the live
 * cluster of that name is the one staging created (its node container's ID); and then its
 * private kubeconfig is written again from `kind get kubeconfig` (a file found there is never
 * trusted: it might reach another cluster).
 */
export function talkReadiness(root: string, scenarios: readonly Scenario[], env: NodeJS.ProcessEnv = process.env): Readiness {
  return async (scenario) => {
    const cluster = scenario.cluster!
    let state: TalkState
    try {
      state = readTalkState(root)
    }
    catch (error) {
      return { status: 422, message: `refused: ${(error as Error).message}` }
    }
    const recorded = state.clusters[cluster]
    const staged = chainFor(scenarios, [scenario.name]).flatMap(s => s.steps.filter(step => step.staged && step.live))
    const missing = staged.filter(step => !(step.id in state.staged))
    if (!recorded || missing.length > 0) {
      const why = !recorded
        ? `.talk/state.json records no cluster ${cluster}`
        : `${missing[0]!.id}${missing.length > 1
          ? ` and ${missing.length - 1} more staged steps`
          : ''} not recorded in .talk/state.json`
      return { status: 422, message: `refused: not staged yet: npm run stage (${why})` }
    }
    let live: string | undefined
    try {
      live = await liveNodeId(cluster, env)
    }
    catch (error) {
      return { status: 503, message: `failed: ${(error as Error).message}` }
    }
    if (live === undefined)
      return { status: 422, message: `refused: not staged yet: npm run stage (${cluster} is recorded in .talk/state.json, but kind has no such cluster any more)` }
    const refused = identityRefusal(cluster, identityOf(cluster, recorded, true, live))
    if (refused)
      return { status: 422, message: `refused: ${refused}` }
    try {
      await writeTalkKubeconfig(root, cluster, env)
    }
    catch (error) {
      return { status: 422, message: `refused: ${(error as Error).message}` }
    }
    return undefined
  }
}

/** Runs a step on its talk cluster, through the kubeconfig the readiness check wrote. */
export function talkRunner(root: string, pins: Readonly<Record<string, string>>, env?: NodeJS.ProcessEnv): StepRunner {
  return async (scenario, step, { signal, onOutput }) => {
    return runTalkStep(scenario, step, {
      root,
      pins,
      signal,
      ...(onOutput ? { onOutput } : {}),
      ...(env ? { env } : {}),
    })
  }
}

class RequestError extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message)
  }
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>, extraHeaders: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...extraHeaders })
  res.end(`${JSON.stringify(body)}\n`)
}

function refuse(res: ServerResponse, refusal: Refusal, extraHeaders: Record<string, string> = {}): void {
  send(res, refusal.status, { error: refusal.message }, extraHeaders)
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? ''
  if (!/^application\/json(?:;|$)/i.test(type))
    throw new RequestError({ status: 415, message: 'refused: the request must be JSON (Content-Type: application/json)' })
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES)
      throw new RequestError({ status: 413, message: `refused: the request is larger than ${MAX_BODY_BYTES} bytes` })
    chunks.push(chunk as Buffer)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown
  }
  catch {
    throw new RequestError({ status: 400, message: 'refused: the request body is not valid JSON' })
  }
}

export function createStepServer(options: StepServerOptions): StepServer {
  const token = randomBytes(32).toString('base64url')
  const runner = options.runner ?? talkRunner(options.root, options.pins, options.env)
  const readiness = options.readiness ?? talkReadiness(options.root, options.scenarios, options.env)
  const log = options.log ?? (() => {})
  const byId = new Map<string, { scenario: Scenario, step: StepSpec }>()
  for (const scenario of options.scenarios) {
    for (const step of scenario.steps)
      byId.set(step.id, { scenario, step })
  }
  const clients = new Set<ServerResponse>()
  const runs = new Map<string, LiveRun>()
  let current: { id: string, controller: AbortController } | undefined

  function broadcast(event: LiveEvent): void {
    const frame = `data: ${JSON.stringify(event)}\n\n`
    for (const client of clients)
      client.write(frame)
  }

  /** What a page may do with each step a slide can show (hidden steps are never shown). */
  function availability(): Record<string, StepAvailability> {
    let staged: Record<string, { finishedAt: string }> = {}
    try {
      staged = readTalkState(options.root).staged
    }
    catch (error) {
      log(`present: ${(error as Error).message}`)
    }
    const steps: Record<string, StepAvailability> = {}
    for (const { scenario, step } of byId.values()) {
      if (step.hidden)
        continue
      if (!step.live || !scenario.cluster) {
        steps[step.id] = { kind: 'off', why: step.why ?? scenario.why ?? 'runs on no cluster' }
      }
      else if (step.staged) {
        const entry: StepAvailability = { kind: 'staged' }
        const finishedAt = staged[step.id]?.finishedAt
        if (finishedAt) {
          entry.finishedAt = finishedAt
          const kept = keptOutput(options.root, step.id)
          if (kept)
            entry.output = kept.output
        }
        steps[step.id] = entry
      }
      else {
        steps[step.id] = { kind: 'run' }
      }
    }
    return steps
  }

  function runnableRefusal(id: string): Refusal | undefined {
    const found = byId.get(id)
    if (!found)
      return { status: 404, message: `refused: no step ${id} in snippets/` }
    const { scenario, step } = found
    if (step.hidden)
      return { status: 422, message: `refused: ${id} is hidden: no slide shows it; it runs with the step after it` }
    if (!step.live || !scenario.cluster)
      return { status: 422, message: `refused: ${id} is not run live (${step.why ?? scenario.why ?? 'no cluster'})` }
    if (step.staged)
      return { status: 422, message: `refused: ${id} is staged: npm run stage runs it before the talk, and the slide shows what it printed then` }
    if (current)
      return { status: 409, message: `refused: ${current.id} is running; one step runs at a time` }
    return undefined
  }

  async function run(scenario: Scenario, step: StepSpec, controller: AbortController): Promise<void> {
    const startedAt = new Date().toISOString()
    runs.set(step.id, {
      step: step.id,
      state: 'running',
      output: '',
      startedAt,
    })
    broadcast({ type: 'start', step: step.id, startedAt })
    const signal = controller.signal
    let result: StepResult | undefined
    let output = ''
    try {
      for (const hidden of stepsForRun(scenario, step.name).slice(0, -1)) {
        runs.set(step.id, {
          ...runs.get(step.id)!,
          running: hidden.id,
        })
        broadcast({ type: 'phase', step: step.id, running: hidden.id })
        const quiet = await runner(scenario, hidden, { signal })
        if (quiet.status !== 'passed') {
          result = { ...quiet, id: step.id, reason: `${hidden.name} (hidden, runs first): ${quiet.reason ?? quiet.status}` }
          delete result.diff
          break
        }
      }
      if (!result) {
        const { running: _done, ...started } = runs.get(step.id)!
        runs.set(step.id, started)
        broadcast({ type: 'phase', step: step.id, running: step.id })
        result = await runner(scenario, step, {
          signal,
          onOutput: (chunk) => {
            output += chunk
            runs.set(step.id, {
              ...runs.get(step.id)!,
              output,
            })
            broadcast({ type: 'output', step: step.id, chunk })
          },
        })
      }
    }
    catch (error) {
      result = {
        id: step.id,
        status: 'failed',
        durationMs: 0,
        attempts: 0,
        output,
        reason: (error as Error).message,
      }
    }
    const verdict = verdictOf(result, step.compare !== 'none')
    const finished: LiveRun = {
      step: step.id,
      state: verdict,
      output: result.output,
      startedAt,
      finishedAt: new Date().toISOString(),
    }
    if (verdict === 'failed' || verdict === 'differs')
      finished.reason = result.reason ?? 'failed'
    if (verdict === 'differs')
      finished.diff = result.diff!
    runs.set(step.id, finished)
    current = undefined
    broadcast({ type: 'end', run: finished })
    log(`present: ${step.id}: ${verdict}${finished.reason && verdict === 'failed'
      ? ` (${finished.reason})`
      : ''}`)
  }

  async function handleRun(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJsonBody(req)
    const id = (body as { step?: unknown } | null)?.step
    const refusal = stepIdRefusal(id) ?? runnableRefusal(id as string)
    if (refusal)
      return refuse(res, refusal)
    const { scenario, step } = byId.get(id as string)!
    const controller = new AbortController()
    // Held while the cluster is checked, so a second run is refused meanwhile.
    current = { id: step.id, controller }
    let notReady: Refusal | undefined
    try {
      notReady = await readiness(scenario)
    }
    catch (error) {
      notReady = { status: 500, message: `failed: ${(error as Error).message}` }
    }
    if (!notReady && controller.signal.aborted)
      notReady = { status: 409, message: `refused: ${step.id} was stopped before it started` }
    if (notReady) {
      current = undefined
      log(`present: ${step.id}: ${notReady.message}`)
      return refuse(res, notReady)
    }
    send(res, 202, { started: step.id })
    void run(scenario, step, controller)
  }

  function handleStop(res: ServerResponse): void {
    if (!current)
      return refuse(res, { status: 409, message: 'refused: no step is running' })
    current.controller.abort()
    send(res, 200, { stopping: current.id })
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      'Connection': 'keep-alive',
      'X-Accel-Buffering': 'no',
    })
    const snapshot: LiveEvent = {
      type: 'snapshot',
      steps: availability(),
      runs: [...runs.values()],
    }
    if (current)
      snapshot.busy = current.id
    res.write(`retry: 2000\ndata: ${JSON.stringify(snapshot)}\n\n`)
    clients.add(res)
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), options.keepAliveMs ?? 15_000)
    keepAlive.unref()
    req.on('close', () => {
      clearInterval(keepAlive)
      clients.delete(res)
    })
  }

  const routes: Record<string, { method: string, token: 'header' | 'query' }> = {
    [LIVE_STEPS_RUN]: { method: 'POST', token: 'header' },
    [LIVE_STEPS_STOP]: { method: 'POST', token: 'header' },
    [LIVE_STEPS_EVENTS]: { method: 'GET', token: 'query' },
  }

  const middleware: Middleware = (req, res, next) => {
    const url = req.url ?? ''
    const queryAt = url.indexOf('?')
    const path = queryAt < 0 ? url : url.slice(0, queryAt)
    if (path !== LIVE_STEPS_BASE && !path.startsWith(`${LIVE_STEPS_BASE}/`))
      return next()
    const where = originRefusal({
      headers: req.headers,
      localPort: req.socket.localPort ?? 0,
      localAddress: req.socket.localAddress,
      remoteAddress: req.socket.remoteAddress,
    })
    if (where)
      return refuse(res, where)
    const route = Object.hasOwn(routes, path) ? routes[path]! : undefined
    if (!route)
      return refuse(res, { status: 404, message: `refused: no such endpoint ${path.slice(0, 80)}` })
    if (req.method !== route.method)
      return refuse(res, { status: 405, message: `refused: ${path} takes ${route.method} only` }, { Allow: route.method })
    const presented = route.token === 'header'
      ? req.headers[LIVE_STEPS_TOKEN_HEADER] as string | undefined
      : new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1)).get('token') ?? undefined
    const unauthorised = tokenRefusal(presented, token)
    if (unauthorised)
      return refuse(res, unauthorised)
    if (path === LIVE_STEPS_EVENTS)
      return handleEvents(req, res)
    if (path === LIVE_STEPS_STOP)
      return handleStop(res)
    handleRun(req, res).catch((error: unknown) => {
      if (error instanceof RequestError)
        return refuse(res, error.refusal)
      refuse(res, { status: 500, message: `failed: ${(error as Error).message}` })
    })
  }

  // The step runs in a process group of its own (run-step.ts), so it would outlive this process:
  // Slidev's `q` and its raw-mode Ctrl-C call process.exit, and a signal ends the process
  // without closing the server. Aborting signals the step's group synchronously.
  const stopRunning = () => current?.controller.abort()
  const onSignal = (signal: NodeJS.Signals) => {
    stopRunning()
    // What the process does on the signal is not ours to decide (Vite closes its server on
    // SIGTERM); when nobody else listens, do what Node would have done: end by the signal.
    if (process.listenerCount(signal) === 1) {
      removeProcessHooks()
      process.kill(process.pid, signal)
    }
  }
  function removeProcessHooks(): void {
    process.off('exit', stopRunning)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  process.on('exit', stopRunning)
  process.prependListener('SIGINT', onSignal)
  process.prependListener('SIGTERM', onSignal)

  return {
    token,
    middleware,
    close: () => {
      removeProcessHooks()
      stopRunning()
      for (const client of clients)
        client.end()
      clients.clear()
    },
  }
}
