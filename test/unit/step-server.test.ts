// The endpoint behind the slides' run controls (npm run present), on a real HTTP server on
// 127.0.0.1 with the fixture deck's snippets: every refusal, the one-at-a-time rule, the event
// stream every page shares, and the timeout kill, with a fake runner where no step needs to run
// and the real one (a real bash, on a cluster staged as npm run stage leaves it, with the
// stand-in kind and docker of test/fixtures/stand-in-bin/) where it must.
import type { AddressInfo } from 'node:net'
import type { LiveEvent } from '../../model/live-steps'
import type { StepResult } from '../../scripts/snippet-check/run-step'
import type { StepRunner, StepServer } from '../../scripts/talk/step-server'
import { Buffer } from 'node:buffer'
import { EventEmitter } from 'node:events'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LIVE_STEPS_EVENTS, LIVE_STEPS_RUN, LIVE_STEPS_STOP, LIVE_STEPS_TOKEN_META } from '../../model/live-steps'
import { readScenarios } from '../../scripts/snippet-check/scenarios'
import { readPins } from '../../scripts/snippet-check/static-checks'
import { createStepServer } from '../../scripts/talk/step-server'
import { isLoopbackHost, STEP_ID_PATTERN } from '../../scripts/talk/step-server-checks'
import { LIVE_STEPS_ENV, liveStepsEnabled, liveStepsPlugin, withTokenMeta } from '../../scripts/talk/step-server-plugin'
import { keepOutput, talkPaths, writeTalkState } from '../../scripts/talk/talk-files'
import setupVitePlugins from '../../setup/vite-plugins'

const fixture = fileURLToPath(new URL('../fixtures/present', import.meta.url))
const standIns = fileURLToPath(new URL('../fixtures/stand-in-bin', import.meta.url))

function scratchRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'step-server-test-'))
  cpSync(join(fixture, 'snippets'), join(root, 'snippets'), { recursive: true })
  return root
}

const NODE_ID = 'a'.repeat(64)

interface Staged {
  root: string
  home: string
  /** The stand-in tools' PATH and HOME: kind and docker answer from $HOME/stand-in-clusters/. */
  env: NodeJS.ProcessEnv
}

/**
 * The fixture's cluster as npm run stage leaves it: kind has startup-present (its node
 * container's ID in the stand-in's cluster file), and .talk/state.json records the cluster with
 * that ID and its staged step.
 */
function stagedRoot(): Staged {
  const root = scratchRoot()
  const home = mkdtempSync(join(tmpdir(), 'step-server-home-'))
  mkdirSync(join(home, 'stand-in-clusters'))
  writeFileSync(join(home, 'stand-in-clusters', 'startup-present'), NODE_ID)
  writeTalkState(root, {
    clusters: {
      'startup-present': { createdAt: '2026-11-28T13:39:00.000Z', nodeId: NODE_ID, preloaded: '2026-11-28T13:39:30.000Z' },
    },
    staged: {
      'demo/01-create-cluster': { finishedAt: '2026-11-28T13:40:00.000Z' },
    },
  })
  return {
    root,
    home,
    env: { PATH: `${standIns}:${process.env.PATH}`, HOME: home },
  }
}

interface Harness {
  steps: StepServer
  port: number
  root: string
  calls: string[]
  close: () => Promise<void>
}

const open: Harness[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map(h => h.close()))
})

function passed(id: string, output = ''): StepResult {
  return {
    id,
    status: 'passed',
    durationMs: 1,
    attempts: 1,
    output,
  }
}

/** The fake runner: records each step it is asked to run and passes it, printing its id. */
function recordingRunner(calls: string[]): StepRunner {
  return async (_scenario, step, { onOutput }) => {
    calls.push(step.id)
    onOutput?.(`ran ${step.id}\n`)
    return passed(step.id, `ran ${step.id}`)
  }
}

/**
 * A step server on 127.0.0.1. With a fake runner and no `env`, every cluster counts as staged (the
 * HTTP rules' tests); with `env`, the real readiness check asks the stand-in tools there.
 */
async function harness(runner?: (calls: string[]) => StepRunner, root = scratchRoot(), env?: NodeJS.ProcessEnv): Promise<Harness> {
  const calls: string[] = []
  const steps = createStepServer({
    root,
    scenarios: readScenarios(root),
    pins: readPins(root),
    ...(runner
      ? {
          runner: runner(calls),
        }
      : {}),
    ...(env
      ? { env }
      : {
          readiness: async () => undefined,
        }),
  })
  const server = http.createServer((req, res) => steps.middleware(req, res, () => {
    res.statusCode = 404
    res.end('not the step server')
  }))
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
  const h: Harness = {
    steps,
    port: (server.address() as AddressInfo).port,
    root,
    calls,
    close: () => {
      steps.close()
      server.closeAllConnections()
      return new Promise(done => server.close(() => done()))
    },
  }
  open.push(h)
  return h
}

interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

/** A raw HTTP request, so a test can send any Host, Origin or token a browser (or attacker) could. */
function request(h: Harness, method: string, path: string, options: { headers?: Record<string, string>, body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port: h.port,
      method,
      path,
      headers: { Host: `127.0.0.1:${h.port}`, ...options.headers },
    }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => body += chunk)
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** POST /run as the deck page sends it: same origin, JSON, the token in its header. */
function run(h: Harness, step: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return request(h, 'POST', LIVE_STEPS_RUN, {
    headers: {
      'Content-Type': 'application/json',
      'Origin': `http://127.0.0.1:${h.port}`,
      'Sec-Fetch-Site': 'same-origin',
      'X-Live-Steps-Token': h.steps.token,
      ...headers,
    },
    body: JSON.stringify({ step }),
  })
}

const errorOf = (reply: Reply) => (JSON.parse(reply.body) as { error: string }).error

/** An open event stream, as one deck page holds it: every event it has received so far. */
interface Stream {
  events: LiveEvent[]
  until: (test: (event: LiveEvent) => boolean, timeoutMs?: number) => Promise<LiveEvent>
  close: () => void
}

function subscribe(h: Harness, token = h.steps.token): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const events: LiveEvent[] = []
    const waiters: { test: (event: LiveEvent) => boolean, done: (event: LiveEvent) => void }[] = []
    const req = http.get({
      host: '127.0.0.1',
      port: h.port,
      path: `${LIVE_STEPS_EVENTS}?token=${encodeURIComponent(token)}`,
      headers: { 'Host': `127.0.0.1:${h.port}`, 'Sec-Fetch-Site': 'same-origin' },
    }, (res) => {
      if (res.statusCode !== 200)
        return reject(new Error(`events: HTTP ${res.statusCode}`))
      let buffer = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buffer += chunk
        let end = buffer.indexOf('\n\n')
        while (end >= 0) {
          const frame = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const data = frame.split('\n').find(line => line.startsWith('data: '))
          if (data) {
            const event = JSON.parse(data.slice(6)) as LiveEvent
            events.push(event)
            for (const waiter of waiters.filter(w => w.test(event))) {
              waiters.splice(waiters.indexOf(waiter), 1)
              waiter.done(event)
            }
          }
          end = buffer.indexOf('\n\n')
        }
      })
      resolve({
        events,
        until: (test, timeoutMs = 10_000) => {
          const seen = events.find(test)
          if (seen)
            return Promise.resolve(seen)
          return new Promise((done, fail) => {
            const timer = setTimeout(() => fail(new Error(`no such event within ${timeoutMs} ms; got ${JSON.stringify(events)}`)), timeoutMs)
            waiters.push({
              test,
              done: (event) => {
                clearTimeout(timer)
                done(event)
              },
            })
          })
        },
        close: () => req.destroy(),
      })
    })
    req.on('error', reject)
  })
}

const endOf = (step: string) => (event: LiveEvent) => event.type === 'end' && event.run.step === step

describe('present mode only', () => {
  it('is on only when npm run present set SLIDEV_LIVE_STEPS=1 and Slidev runs its dev server', () => {
    expect(liveStepsEnabled({}, 'dev')).toBe(false)
    expect(liveStepsEnabled({ [LIVE_STEPS_ENV]: '1' }, 'dev')).toBe(true)
    expect(liveStepsEnabled({ [LIVE_STEPS_ENV]: '1' }, 'build')).toBe(false)
    expect(liveStepsEnabled({ [LIVE_STEPS_ENV]: '1' }, 'export')).toBe(false)
  })

  it('adds no live-steps plugin, so no endpoint and no token, to npm run dev, build or export', () => {
    const page = '<html><head></head></html>'
    const slidev = (mode: 'dev' | 'build' | 'export') => ({
      mode,
      userRoot: fixture,
      utils: { indexHtml: page },
    }) as unknown as Parameters<typeof setupVitePlugins>[0]
    // Every mode also gets the attendee-links plugin (the repository's address for <RepoLink>).
    const names = (mode: 'dev' | 'build' | 'export') => (setupVitePlugins(slidev(mode)) as Array<{ name: string }>).map(plugin => plugin.name)
    const saved = process.env[LIVE_STEPS_ENV]
    try {
      delete process.env[LIVE_STEPS_ENV]
      expect(names('dev')).toEqual(['deck:attendee-links'])
      process.env[LIVE_STEPS_ENV] = '1'
      expect(names('build')).toEqual(['deck:attendee-links'])
      expect(names('export')).toEqual(['deck:attendee-links'])
      expect(names('dev')).toEqual(['deck:attendee-links', 'deck:live-steps'])
    }
    finally {
      if (saved === undefined)
        delete process.env[LIVE_STEPS_ENV]
      else
        process.env[LIVE_STEPS_ENV] = saved
    }
  })

  it('puts the token in the page it serves', () => {
    expect(withTokenMeta('<html><head><title>t</title></head></html>', 'abc')).toContain(`<head>\n  <meta name="${LIVE_STEPS_TOKEN_META}" content="abc">`)
  })

  it('makes a new random token at each start', async () => {
    const [a, b] = [await harness(recordingRunner), await harness(recordingRunner)]
    expect(a.steps.token).toMatch(/^[\w-]{43}$/)
    expect(a.steps.token).not.toBe(b.steps.token)
  })
})

describe('refuses to serve beyond loopback', () => {
  const configResolved = (slidev: { remote?: string }, host: string | boolean | undefined) => {
    const plugin = liveStepsPlugin({
      userRoot: fixture,
      utils: { indexHtml: '<head></head>' },
      ...slidev,
    })
    const hook = plugin.configResolved as (config: unknown) => void
    return () => hook({
      server: { host },
    })
  }

  it('refuses --remote, and a dev server whose host is not loopback', () => {
    expect(configResolved({ remote: '' }, 'localhost')).toThrow('npm run present runs hands-on steps on your clusters from the slides, so it serves the deck on this machine only (localhost): it does not run with --remote')
    expect(configResolved({}, '0.0.0.0')).toThrow('the dev server\'s host is 0.0.0.0, not loopback (check vite.config.ts)')
    expect(configResolved({}, true)).toThrow('the dev server\'s host is true, not loopback')
    expect(configResolved({}, '192.168.1.20')).toThrow('not loopback')
    expect(configResolved({}, 'localhost')).not.toThrow()
    expect(configResolved({}, '127.0.0.1')).not.toThrow()
    expect(configResolved({}, undefined)).not.toThrow()
  })

  it('stops the dev server if it listens beyond loopback after all', async () => {
    const root = scratchRoot()
    const plugin = liveStepsPlugin({
      userRoot: root,
      utils: { indexHtml: '<html><head></head></html>' },
    })
    const httpServer = new EventEmitter() as EventEmitter & { address: () => AddressInfo }
    httpServer.address = () => ({ address: '0.0.0.0', family: 'IPv4', port: 3030 })
    const used: unknown[] = []
    const configureServer = plugin.configureServer as (server: unknown) => void
    configureServer({
      httpServer,
      middlewares: {
        use: (fn: unknown) => used.push(fn),
      },
    })
    expect(used).toHaveLength(1)
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never)
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      httpServer.address = () => ({ address: '127.0.0.1', family: 'IPv4', port: 3030 })
      httpServer.emit('listening')
      expect(exit).not.toHaveBeenCalled()
      httpServer.address = () => ({ address: '0.0.0.0', family: 'IPv4', port: 3030 })
      httpServer.emit('listening')
      expect(exit).toHaveBeenCalledWith(2)
      expect(error).toHaveBeenCalledWith('npm run present runs hands-on steps on your clusters from the slides, so it serves the deck on this machine only (localhost): the dev server listens on 0.0.0.0, beyond loopback; stopping')
    }
    finally {
      exit.mockRestore()
      error.mockRestore()
    }
  })

  it('knows loopback hosts from the rest', () => {
    expect([
      'localhost',
      '127.0.0.1',
      '127.0.1.1',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
      undefined,
    ].map(host => isLoopbackHost(host))).toEqual(Array.from({ length: 7 }).fill(true))
    expect([
      '0.0.0.0',
      '::',
      '10.0.0.2',
      'fe80::1',
      'laptop.local',
      '::ffff:10.0.0.2',
      true,
    ].map(host => isLoopbackHost(host))).toEqual(Array.from({ length: 7 }).fill(false))
  })
})

describe('the step server refuses', () => {
  it('a request without the token, or with a wrong one', async () => {
    const h = await harness(recordingRunner)
    const missing = await run(h, 'demo/03-containers', { 'X-Live-Steps-Token': '' })
    expect([
      missing.status,
      errorOf(missing),
    ]).toEqual([403, 'refused: no token; reload the deck page (npm run present makes a new token at each start)'])
    const wrong = await run(h, 'demo/03-containers', { 'X-Live-Steps-Token': `${h.steps.token.slice(0, -1)}x` })
    expect([
      wrong.status,
      errorOf(wrong),
    ]).toEqual([403, 'refused: wrong token; reload the deck page (npm run present makes a new token at each start)'])
    await expect(subscribe(h, 'not-the-token')).rejects.toThrow('events: HTTP 403')
    expect(h.calls).toEqual([])
  })

  it('a request from another origin', async () => {
    const h = await harness(recordingRunner)
    const foreign = await run(h, 'demo/03-containers', { Origin: 'http://evil.example' })
    expect([
      foreign.status,
      errorOf(foreign),
    ]).toEqual([403, 'refused: cross-origin request from http://evil.example'])
    const otherPort = await run(h, 'demo/03-containers', { Origin: `http://127.0.0.1:${h.port + 1}` })
    expect(otherPort.status).toBe(403)
    const crossSite = await run(h, 'demo/03-containers', { 'Sec-Fetch-Site': 'cross-site' })
    expect([
      crossSite.status,
      errorOf(crossSite),
    ]).toEqual([403, 'refused: cross-origin request (Sec-Fetch-Site: cross-site)'])
    expect(h.calls).toEqual([])
  })

  it('a Host that is not this server on loopback (DNS rebinding)', async () => {
    const h = await harness(recordingRunner)
    const rebound = await run(h, 'demo/03-containers', { Host: `attacker.example:${h.port}`, Origin: `http://attacker.example:${h.port}` })
    expect([
      rebound.status,
      errorOf(rebound),
    ]).toEqual([403, `refused: Host attacker.example:${h.port} is not this server (localhost:${h.port}, 127.0.0.1:${h.port}, [::1]:${h.port})`])
    const otherPort = await run(h, 'demo/03-containers', { Host: `localhost:${h.port + 1}`, Origin: `http://localhost:${h.port + 1}` })
    expect(otherPort.status).toBe(403)
    const byName = await run(h, 'demo/03-containers', { Host: `localhost:${h.port}`, Origin: `http://localhost:${h.port}` })
    expect(byName.status).toBe(202)
  })

  it('a request that arrived on, or came from, an address beyond loopback', async () => {
    const calls: string[] = []
    const root = scratchRoot()
    const steps = createStepServer({
      root,
      scenarios: readScenarios(root),
      pins: readPins(root),
      runner: recordingRunner(calls),
      readiness: async () => undefined,
    })
    // A request as the middleware sees it, on a socket with the given ends: what a dev server
    // listening beyond loopback would hand it from another machine.
    const crafted = (socket: { localAddress: string, remoteAddress: string }) => new Promise<[number, string]>((resolve) => {
      const req = Object.assign(Readable.from([
        Buffer.from(JSON.stringify({ step: 'demo/03-containers' })),
      ]), {
        url: LIVE_STEPS_RUN,
        method: 'POST',
        headers: {
          'host': 'localhost:3030',
          'origin': 'http://localhost:3030',
          'sec-fetch-site': 'same-origin',
          'content-type': 'application/json',
          'x-live-steps-token': steps.token,
        },
        socket: { ...socket, localPort: 3030 },
      })
      let status = 0
      const res = {
        writeHead: (code: number) => {
          status = code
          return res
        },
        end: (body: string) => resolve([status, (JSON.parse(body) as { error?: string }).error ?? body.trim()]),
      }
      steps.middleware(req as unknown as http.IncomingMessage, res as unknown as http.ServerResponse, () => resolve([0, 'passed on']))
    })
    try {
      expect(await crafted({ localAddress: '192.168.1.20', remoteAddress: '192.168.1.30' })).toEqual([403, 'refused: the request arrived on 192.168.1.20, not on loopback'])
      expect(await crafted({ localAddress: '127.0.0.1', remoteAddress: '192.168.1.30' })).toEqual([403, 'refused: the request came from 192.168.1.30, not from loopback'])
      expect(await crafted({ localAddress: '::ffff:10.0.0.2', remoteAddress: '::1' })).toEqual([403, 'refused: the request arrived on ::ffff:10.0.0.2, not on loopback'])
      expect(calls).toEqual([])
      // The same request on loopback is taken: only the addresses made the difference.
      expect(await crafted({ localAddress: '::ffff:127.0.0.1', remoteAddress: '127.0.0.1' })).toEqual([202, '{"started":"demo/03-containers"}'])
    }
    finally {
      steps.close()
    }
  })

  it('GET on the run endpoint, and any path it does not have', async () => {
    const h = await harness(recordingRunner)
    const get = await request(h, 'GET', `${LIVE_STEPS_RUN}?step=demo/03-containers`, {
      headers: { 'X-Live-Steps-Token': h.steps.token },
    })
    expect([
      get.status,
      get.headers.allow,
      errorOf(get),
    ]).toEqual([405, 'POST', 'refused: /__live-steps/run takes POST only'])
    const other = await request(h, 'GET', '/__live-steps/../snippets/demo/03-containers.sh')
    expect(other.status).toBe(404)
    expect((await request(h, 'GET', '/')).body).toBe('not the step server')
    expect(h.calls).toEqual([])
  })

  it('anything but JSON', async () => {
    const h = await harness(recordingRunner)
    const form = await run(h, 'demo/03-containers', { 'Content-Type': 'application/x-www-form-urlencoded' })
    expect([
      form.status,
      errorOf(form),
    ]).toEqual([415, 'refused: the request must be JSON (Content-Type: application/json)'])
  })

  it('a step id with path characters, or command text, before looking anything up', async () => {
    const h = await harness(recordingRunner)
    for (const id of [
      '../demo/03-containers',
      'demo/../03-containers',
      '%2e%2e/demo/03-containers',
      'demo%2f03-containers',
      '/etc/passwd',
      'demo/03-containers.sh',
      'demo\\03-containers',
      'demo/03-containers; rm -rf ~',
      '',
    ]) {
      const reply = await run(h, id)
      expect([
        id,
        reply.status,
        errorOf(reply),
      ]).toEqual([id, 400, `refused: ${JSON.stringify(id)} is not a step id (scenario/NN-name: lower-case letters, digits and hyphens)`])
    }
    const notText = await run(h, { command: 'kubectl get pods' })
    expect([
      notText.status,
      errorOf(notText),
    ]).toEqual([400, 'refused: the request must be {"step": "scenario/NN-name"}'])
    expect(STEP_ID_PATTERN.test('a-default-install/07-containers')).toBe(true)
    expect(h.calls).toEqual([])
  })

  it('a step that is not in snippets/', async () => {
    const h = await harness(recordingRunner)
    const unknown = await run(h, 'demo/99-nothing')
    expect([unknown.status, errorOf(unknown)]).toEqual([404, 'refused: no step demo/99-nothing in snippets/'])
  })

  it('a staged step (its output is the staging run\'s) and a hidden one', async () => {
    const h = await harness(recordingRunner)
    const staged = await run(h, 'demo/01-create-cluster')
    expect([
      staged.status,
      errorOf(staged),
    ]).toEqual([422, 'refused: demo/01-create-cluster is staged: npm run stage runs it before the talk, and the slide shows what it printed then'])
    const hidden = await run(h, 'demo/02-wait')
    expect([
      hidden.status,
      errorOf(hidden),
    ]).toEqual([422, 'refused: demo/02-wait is hidden: no slide shows it; it runs with the step after it'])
    expect(h.calls).toEqual([])
  })

  it('a second run while one is running', async () => {
    let release!: () => void
    const h = await harness(calls => async (_scenario, step) => {
      calls.push(step.id)
      await new Promise<void>(done => release = done)
      return passed(step.id)
    })
    const stream = await subscribe(h)
    expect((await run(h, 'demo/04-pods')).status).toBe(202)
    const second = await run(h, 'demo/06-labels')
    expect([
      second.status,
      errorOf(second),
    ]).toEqual([409, 'refused: demo/04-pods is running; one step runs at a time'])
    release()
    await stream.until(endOf('demo/04-pods'))
    expect((await run(h, 'demo/06-labels')).status).toBe(202)
    release()
    await stream.until(endOf('demo/06-labels'))
    expect(h.calls).toEqual(['demo/04-pods', 'demo/06-labels'])
    stream.close()
  })
})

describe('the step server runs a step and streams it to every page', () => {
  it('runs the hidden step before it quietly, then the step, and every page gets its output and mark', async () => {
    const h = await harness(recordingRunner)
    const [audience, presenter] = [await subscribe(h), await subscribe(h)]
    expect(audience.events[0]).toMatchObject({
      type: 'snapshot',
      runs: [],
      steps: {
        'demo/03-containers': { kind: 'run' },
        'demo/01-create-cluster': { kind: 'staged' },
      },
    })
    expect(Object.keys((audience.events[0] as { steps: object }).steps)).not.toContain('demo/02-wait')

    expect(await run(h, 'demo/03-containers')).toMatchObject({ status: 202, body: '{"started":"demo/03-containers"}\n' })
    for (const page of [audience, presenter]) {
      const end = await page.until(endOf('demo/03-containers'))
      expect(end).toMatchObject({
        run: { state: 'matches', output: 'ran demo/03-containers' },
      })
      expect(page.events.map(event => event.type === 'phase'
        ? `phase ${event.running}`
        : event.type)).toEqual([
        'snapshot',
        'start',
        'phase demo/02-wait',
        'phase demo/03-containers',
        'output',
        'end',
      ])
    }
    // Only the step's own output is streamed, not the hidden one's.
    expect(audience.events.filter(event => event.type === 'output')).toEqual([
      { type: 'output', step: 'demo/03-containers', chunk: 'ran demo/03-containers\n' },
    ])
    expect(h.calls).toEqual(['demo/02-wait', 'demo/03-containers'])

    // A page opened later (the presenter window, a reload) starts from the same runs.
    const late = await subscribe(h)
    expect(late.events[0]).toMatchObject({
      type: 'snapshot',
      runs: [{ step: 'demo/03-containers', state: 'matches' }],
    })
    for (const page of [audience, presenter, late])
      page.close()
  })

  it('judges the output as the snippet checker does: matches, or differs with the diff', async () => {
    const { root, env } = stagedRoot()
    const h = await harness(undefined, root, env)
    const stream = await subscribe(h)
    await run(h, 'demo/03-containers')
    expect(await stream.until(endOf('demo/03-containers'))).toMatchObject({
      run: { state: 'matches' },
    })
    await run(h, 'demo/04-pods')
    const differs = await stream.until(endOf('demo/04-pods'))
    expect(differs).toMatchObject({
      run: { state: 'differs', reason: 'output differs from the .out file' },
    })
    expect((differs as { run: { diff: string } }).run.diff).toContain('-server-{{hash}}   2/2     Running   0          {{age}}\n+server-7d9c5b8f6-x2x9q   1/2     Running   3 (12s ago)   48s')
    stream.close()
  })

  it('kills a step at its timeout', async () => {
    const { root, env } = stagedRoot()
    const h = await harness(undefined, root, env)
    const stream = await subscribe(h)
    const started = Date.now()
    await run(h, 'demo/05-wait-job')
    const end = await stream.until(endOf('demo/05-wait-job'), 8000)
    expect(Date.now() - started).toBeLessThan(6000)
    expect(end).toMatchObject({
      run: { state: 'failed', reason: 'timed out after 1s', output: 'waiting for job/job-classic to complete' },
    })
    // The next step may run at once.
    expect((await run(h, 'demo/06-labels')).status).toBe(202)
    await stream.until(endOf('demo/06-labels'))
    stream.close()
  })

  it('stops the running step when asked', async () => {
    const h = await harness(() => (_scenario, step, { signal }) => new Promise((resolve) => {
      signal.addEventListener('abort', () => resolve({
        id: step.id,
        status: 'failed',
        durationMs: 1,
        attempts: 1,
        output: '',
        reason: 'stopped: the run was interrupted',
      }))
    }))
    const stream = await subscribe(h)
    const idle = await request(h, 'POST', LIVE_STEPS_STOP, {
      headers: { 'X-Live-Steps-Token': h.steps.token },
    })
    expect([idle.status, errorOf(idle)]).toEqual([409, 'refused: no step is running'])
    await run(h, 'demo/06-labels')
    const stop = await request(h, 'POST', LIVE_STEPS_STOP, {
      headers: { 'X-Live-Steps-Token': h.steps.token },
    })
    expect(stop.status).toBe(200)
    expect(await stream.until(endOf('demo/06-labels'))).toMatchObject({
      run: { state: 'failed', reason: 'stopped: the run was interrupted' },
    })
    stream.close()
  })

  it('refuses (422), running nothing, a step whose scenario npm run stage has not staged, or whose cluster has gone', async () => {
    const cases: [string, (root: string, home: string) => void, string][] = [
      [
        'nothing staged',
        root => rmSync(talkPaths(root).state),
        'refused: not staged yet: npm run stage (.talk/state.json records no cluster startup-present)',
      ],
      [
        'a staged step missing',
        root => writeTalkState(root, {
          clusters: {
            'startup-present': { createdAt: 'then', nodeId: NODE_ID },
          },
          staged: {},
        }),
        'refused: not staged yet: npm run stage (demo/01-create-cluster not recorded in .talk/state.json)',
      ],
      [
        'the cluster deleted',
        (_root, home) => rmSync(join(home, 'stand-in-clusters', 'startup-present')),
        'refused: not staged yet: npm run stage (startup-present is recorded in .talk/state.json, but kind has no such cluster any more)',
      ],
    ]
    for (const [what, change, message] of cases) {
      const { root, home, env } = stagedRoot()
      change(root, home)
      const h = await harness(recordingRunner, root, env)
      const reply = await run(h, 'demo/03-containers')
      expect([what, reply.status, errorOf(reply)]).toEqual([what, 422, message])
      expect(h.calls).toEqual([])
      // Refused before it started: the next request is not told a step is running.
      expect((await run(h, 'demo/03-containers')).status).toBe(422)
    }
  })

  it('refuses (422), running nothing, a cluster of the staged name that npm run stage did not create', async () => {
    const { root, home, env } = stagedRoot()
    // Deleted and made again by hand: kind's node container has another ID.
    writeFileSync(join(home, 'stand-in-clusters', 'startup-present'), 'b'.repeat(64))
    const h = await harness(recordingRunner, root, env)
    const reply = await run(h, 'demo/03-containers')
    expect([reply.status, errorOf(reply)]).toEqual([
      422,
      'refused: startup-present is not the cluster npm run stage created: its node container startup-present-control-plane is bbbbbbbbbbbb, .talk/state.json recorded aaaaaaaaaaaa, so it was deleted and another made under its name (by hand, or with a create-cluster snippet). It is left alone. If you don\'t need that one, delete it (kind delete cluster --name startup-present); then npm run stage stages startup-present again.',
    ])
    expect(h.calls).toEqual([])
  })

  it('writes the cluster\'s kubeconfig again from kind before each run: a copy of another context left there is never used', async () => {
    const { root, env } = stagedRoot()
    // A step that asks the cluster (the stand-in kubectl reaches only a stand-in kind cluster).
    writeFileSync(join(root, 'snippets', 'demo', '06-labels.sh'), '#!/usr/bin/env bash\n# The node.\nkubectl get nodes --no-headers\n')
    writeFileSync(join(root, 'snippets', 'demo', '06-labels.out'), 'startup-present-control-plane   Ready   control-plane   5m    v1.35.0\n')
    // What npm run demo -- --context attendee used to leave there: the attendee's cluster, renamed.
    const kubeconfig = talkPaths(root).kubeconfig('startup-present')
    mkdirSync(join(talkPaths(root).dir, 'kubeconfig'), { recursive: true })
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters:\n- name: attendee\n  cluster:\n    server: https://attendee.example:6443\ncontexts:\n- name: kind-startup-present\n  context:\n    cluster: attendee\n    user: attendee\ncurrent-context: kind-startup-present\nusers:\n- name: attendee\n  user: {}\n')
    const h = await harness(undefined, root, env)
    const stream = await subscribe(h)
    expect((await run(h, 'demo/06-labels')).status).toBe(202)
    expect(await stream.until(endOf('demo/06-labels'))).toMatchObject({
      run: { state: 'matches' },
    })
    expect(readFileSync(kubeconfig, 'utf8')).not.toContain('attendee')
    expect(readFileSync(kubeconfig, 'utf8')).toContain('server: "https://127.0.0.1:6443"')
    stream.close()
  })

  it('gives staged steps their staging time and kept output', async () => {
    const root = scratchRoot()
    writeTalkState(root, {
      clusters: {},
      staged: {
        'demo/01-create-cluster': { finishedAt: '2026-11-28T13:40:00.000Z' },
      },
    })
    keepOutput(root, 'demo/01-create-cluster', 'Creating cluster "startup-present" ...\n')
    const h = await harness(recordingRunner, root)
    const stream = await subscribe(h)
    expect(stream.events[0]).toMatchObject({
      steps: {
        'demo/01-create-cluster': { kind: 'staged', finishedAt: '2026-11-28T13:40:00.000Z', output: 'Creating cluster "startup-present" ...\n' },
      },
    })
    stream.close()
  })
})

describe('a running step does not outlive npm run present', { timeout: 30_000 }, () => {
  const script = fileURLToPath(new URL('../fixtures/step-server-exit/run-then-exit.ts', import.meta.url))
  const repo = fileURLToPath(new URL('../../', import.meta.url))

  /** A root whose one step runs a long sleep in its own shell, and says the sleep's PID. */
  function sleepyRoot(): string {
    const root = mkdtempSync(join(tmpdir(), 'step-server-exit-'))
    const dir = join(root, 'snippets', 'sleepy')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'scenario.yaml'), '# A step that waits a long time\ncluster: startup-present\nsteps:\n  - step: 01-wait\n    on-stage: 1s\n    timeout: 60s\n')
    writeFileSync(join(dir, '01-wait.sh'), '#!/usr/bin/env bash\n# Waits, as kubectl wait does.\nsleep 60 &\necho "$!" > sleep.pid\nwait\n')
    return root
  }

  /** Running, and not a zombie waiting to be reaped (a container's PID 1 may never reap it). */
  function alive(pid: number): boolean {
    try {
      process.kill(pid, 0)
    }
    catch {
      return false
    }
    const stat = existsSync(`/proc/${pid}/stat`)
      ? readFileSync(`/proc/${pid}/stat`, 'utf8')
      : ''
    return !/^\d+ \(.*\) Z/.test(stat)
  }

  for (const how of ['exit', 'SIGTERM', 'SIGINT'] as const) {
    it(`signals the step's process group when the process ${how === 'exit'
      ? 'calls process.exit (Slidev\'s q, its raw-mode Ctrl-C)'
      : `gets ${how}`}`, async () => {
      const root = sleepyRoot()
      const child = execa('node', [
        '--import',
        'tsx',
        script,
        root,
        'sleepy/01-wait',
        how === 'exit' ? 'exit' : 'wait',
      ], {
        cwd: repo,
        reject: false,
        stdin: 'pipe',
      })
      let pid = 0
      try {
        let printed = ''
        child.stdout!.on('data', (chunk: Buffer) => printed += chunk.toString())
        await expect.poll(() => printed.endsWith('\n'), { timeout: 20_000 }).toBe(true)
        pid = Number(printed.trim())
        expect(pid, printed).toBeGreaterThan(0)
        expect(alive(pid)).toBe(true)
        if (how === 'exit')
          child.stdin!.write('exit\n')
        else
          child.kill(how)
        const result = await child
        expect(result.stderr).toBe('')
        if (how === 'exit')
          expect(result.exitCode).toBe(0)
        else
          expect(result.signal).toBe(how)
        await expect.poll(() => alive(pid), { timeout: 5000 }).toBe(false)
      }
      finally {
        child.kill('SIGKILL')
        if (pid > 0 && alive(pid))
          process.kill(pid, 'SIGKILL')
      }
    })
  }
})

describe('npm run present refuses to expose the deck beyond this machine', () => {
  const repo = fileURLToPath(new URL('../../', import.meta.url))
  const present = (args: string[]) => execa('node', [
    '--import',
    'tsx',
    'scripts/present.ts',
    'test/fixtures/present/slides.md',
    '--no-open',
    ...args,
  ], {
    cwd: repo,
    reject: false,
    timeout: 30_000,
  })

  it('exits 2 with the reason on --remote, --tunnel or a --bind that is not loopback, before starting anything', async () => {
    const cases: [string[], string][] = [
      [
        ['--remote'],
        'npm run present: refused --remote: npm run present runs hands-on steps on your clusters from the slides, so it serves the deck on this machine only (localhost). For a remote audience view without run controls, use npm run dev -- --remote.',
      ],
      [['--remote=secret'], 'npm run present: refused --remote:'],
      [['--tunnel'], 'npm run present: refused --tunnel:'],
      [
        ['--bind', '0.0.0.0'],
        'npm run present: refused --bind 0.0.0.0: npm run present runs hands-on steps on your clusters from the slides, so it serves the deck on this machine only (localhost) (127.0.0.1, ::1 or localhost).',
      ],
      [['--bind=192.168.1.20'], 'npm run present: refused --bind 192.168.1.20:'],
    ]
    const results = await Promise.all(cases.map(([args]) => present(args)))
    for (const [i, [args, message]] of cases.entries()) {
      expect([args, results[i]!.exitCode]).toEqual([args, 2])
      expect(results[i]!.stderr).toContain(message)
      expect(results[i]!.stdout).not.toContain('live steps on')
    }
  })

  it('exits 2 on an unknown option or a deck that is not there', async () => {
    const unknown = await present(['--host', '0.0.0.0'])
    expect([unknown.exitCode, unknown.stderr]).toEqual([
      2,
      expect.stringContaining('Unknown option \'--host\''),
    ])
    const missing = await execa('node', [
      '--import',
      'tsx',
      'scripts/present.ts',
      'no/such/slides.md',
    ], { cwd: repo, reject: false })
    expect([missing.exitCode, missing.stderr]).toEqual([
      2,
      expect.stringContaining('npm run present: no deck at'),
    ])
  })
})
