// The live mode's orchestration, run for real against stand-in kind, kubectl, docker and
// linkerd executables (test/fixtures/stand-in-bin/, each marked as a stand-in): no cluster is
// created here, but every step runs in a real bash, and every call the checker makes to the
// tools is recorded in $HOME/stand-in.log and asserted on.
import type { Probe } from '../../scripts/snippet-check/prerequisites'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ClusterLifecycle, digestFor, dockerRepository } from '../../scripts/snippet-check/cluster-lifecycle'
import { preloadedImages, runLiveCheck, toolEnv } from '../../scripts/snippet-check/live-check'
import { prerequisiteProblems, systemProbe } from '../../scripts/snippet-check/prerequisites'
import { runStep } from '../../scripts/snippet-check/run-step'
import { readScenarios } from '../../scripts/snippet-check/scenarios'
import { readPins } from '../../scripts/snippet-check/static-checks'
import { runScript } from '../run-script'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const fixture = fileURLToPath(new URL('../fixtures/snippet-check/live', import.meta.url))
const standIns = fileURLToPath(new URL('../fixtures/stand-in-bin', import.meta.url))

interface Sandbox {
  root: string
  home: string
  report: string
  env: Record<string, string>
  log: () => string[]
}

function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'live-check-test-'))
  const root = join(dir, 'root')
  const home = join(dir, 'home')
  cpSync(fixture, root, { recursive: true })
  mkdirSync(home)
  return {
    root,
    home,
    report: join(dir, 'report'),
    env: { HOME: home, PATH: `${standIns}:${process.env.PATH}`, NPM_CONFIG_UPDATE_NOTIFIER: 'false' },
    log: () => existsSync(join(home, 'stand-in.log'))
      ? readFileSync(join(home, 'stand-in.log'), 'utf8').trim().split('\n')
      : [],
  }
}

function checkLive(box: Sandbox, args: string[], extraEnv: Record<string, string> = {}) {
  return runScript('scripts/check-snippets.ts', [
    '--root',
    box.root,
    '--live',
    '--report-dir',
    box.report,
    ...args,
  ], {
    env: {
      ...box.env,
      ...extraEnv,
    },
  })
}

/** Until the slow step has started (it writes `marker`), at most 30 s. */
async function waitForFile(marker: string): Promise<void> {
  for (let waited = 0; !existsSync(marker) && waited < 30_000; waited += 100)
    await new Promise(resolve => setTimeout(resolve, 100))
  expect(existsSync(marker)).toBe(true)
}

/** The digest the stand-in docker lists for an image it pulled: sha256 of the reference. */
const standInDigest = (image: string) => `sha256:${createHash('sha256').update(image).digest('hex')}`
const report = (box: Sandbox) => JSON.parse(readFileSync(join(box.report, 'report.json'), 'utf8'))
function liveClusters(box: Sandbox) {
  return existsSync(join(box.home, 'stand-in-clusters'))
    ? readdirSync(join(box.home, 'stand-in-clusters'))
    : []
}

describe('live mode with stand-in tools', { timeout: 60_000 }, () => {
  it('creates a uniquely named cluster, switches only to its context, polls, deletes it, and records the pass', async () => {
    const box = sandbox()
    const result = await checkLive(box, ['--scenario', 'one'])
    expect(result.exitCode, result.stderr).toBe(0)
    const calls = box.log()
    const created = calls.find(c => c.startsWith('kind create cluster'))!
    const unique = /--name (\S+)/.exec(created)![1]!
    expect(unique).toMatch(/^snippets-demo-[0-9a-f]{6}$/)
    expect(calls).toContain(`kubectl config use-context kind-${unique}`)
    expect(calls.some(c => c.startsWith(`kind delete cluster --name ${unique}`))).toBe(true)
    expect(liveClusters(box)).toEqual([])
    // Nothing lands in the presenter's kubeconfig, and the private one is gone.
    expect(existsSync(join(box.home, '.kube'))).toBe(false)
    const workDir = /private kubeconfigs in (\S+)/.exec(result.stdout)![1]!
    expect(existsSync(workDir)).toBe(false)

    const steps = report(box).runs[0].steps
    expect(steps.map((s: { id: string, status: string }) => `${s.id} ${s.status}`)).toEqual([
      'one/01-create-cluster passed',
      'one/02-use-context passed',
      'one/03-pods passed',
      'one/04-expected-failure passed',
    ])
    expect(steps[2].attempts).toBe(3)
    expect(steps[3].exitCode).toBe(1)
    expect(result.stdout).toContain('one/03-pods (3 attempts)')
    expect(readFileSync(join(box.report, 'junit.xml'), 'utf8')).toContain('<testcase classname="one" name="one/03-pods"')
    const record = JSON.parse(readFileSync(join(box.root, 'snippets', 'verified-live.json'), 'utf8'))
    expect(record.scenarios).toEqual([
      {
        scenario: 'one',
        steps: ['01-create-cluster', '02-use-context', '03-pods', '04-expected-failure'],
        kindNodeImage: 'kindest/node:v1.35.0',
        linkerdVersion: 'edge-26.6.3',
        date: new Date().toISOString().slice(0, 10),
        outputs: {
          '01-create-cluster': 'Creating cluster "demo" ...',
          '02-use-context': 'Switched to context "kind-demo".',
          '03-pods': 'NAME                   READY   STATUS              RESTARTS   AGE\nweb-5d4f7b9c8-x2x9q   2/2     Running             0          3s',
          '04-expected-failure': 'error: timed out waiting for the condition on jobs/job-classic',
        },
        imageDigests: {
          'docker.io/hashicorp/http-echo:1.0.0': standInDigest('docker.io/hashicorp/http-echo:1.0.0'),
          'cr.l5d.io/linkerd/proxy:edge-26.6.3': standInDigest('cr.l5d.io/linkerd/proxy:edge-26.6.3'),
          'cr.l5d.io/linkerd/controller:edge-26.6.3': standInDigest('cr.l5d.io/linkerd/controller:edge-26.6.3'),
        },
      },
    ])
  })

  it('on a failure: gathers diagnostics, skips the rest, still deletes the cluster, records nothing', async () => {
    const box = sandbox()
    const result = await checkLive(box, ['--scenario', 'failing'])
    expect(result.exitCode).toBe(1)
    const calls = box.log()
    const unique = /--name (\S+)/.exec(calls.find(c => c.startsWith('kind create cluster'))!)![1]!
    for (const diagnostic of ['get events --all-namespaces', 'describe pods -n demo', 'logs -n demo --all-containers'])
      expect(calls.some(c => c.startsWith(`kubectl --context kind-${unique} ${diagnostic}`)), diagnostic).toBe(true)
    // Real kubectl stops at the first unreadable container unless told otherwise.
    const logCalls = calls.filter(c => c.startsWith(`kubectl --context kind-${unique} logs`))
    expect(logCalls).toHaveLength(4)
    expect(logCalls.every(c => c.includes('--ignore-errors'))).toBe(true)
    const steps = report(box).runs[0].steps
    expect(steps[1]).toMatchObject({ status: 'failed', reason: 'exited 3, expected 0', output: 'something else' })
    expect(steps[2]).toMatchObject({ status: 'skipped', reason: 'not run: failing/02-fails failed' })
    expect(existsSync(join(box.home, 'never-ran-marker'))).toBe(false)
    expect(Object.keys(report(box).diagnostics)).toEqual([unique])
    expect(liveClusters(box)).toEqual([])
    expect(JSON.parse(readFileSync(join(box.root, 'snippets', 'verified-live.json'), 'utf8')).scenarios).toEqual([])
  })

  it('shows a readable diff when the output differs', async () => {
    const box = sandbox()
    const result = await checkLive(box, ['--scenario', 'mismatch'])
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('-READY 2/2\n+READY 0/2')
    expect(report(box).runs[0].steps[1].diff).toContain('+READY 0/2')
  })

  it('refuses, without running it, a step that names a context this run did not create', async () => {
    const box = sandbox()
    const result = await checkLive(box, ['--scenario', 'sneaky'])
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/refused: the step names context "production", but this run may only use kind-snippets-sneaky-[0-9a-f]{6}/)
    expect(box.log().some(c => c.includes('production'))).toBe(false)
    expect(liveClusters(box)).toEqual([])
  })

  it('stops a step at its timeout', async () => {
    const box = sandbox()
    const result = await checkLive(box, ['--scenario', 'quick'])
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/failed {2}quick\/02-too-slow \d+\.\ds: timed out after 1s/)
    // The step sleeps 5 s; it was stopped at its 1 s timeout, not left to finish.
    const step = report(box).runs[0].steps[1]
    expect(step.timedOut).toBe(true)
    expect(step.durationMs).toBeLessThan(4000)
  })

  it('refuses steps that could reach another cluster, by their text, before running them', () => {
    const lifecycle = new ClusterLifecycle({
      env: {},
      workDir: join(tmpdir(), 'unused-work-dir'),
    })
    const handle = lifecycle.reserve('demo')
    const verdict = (script: string) => {
      try {
        lifecycle.assertStepStaysInside(handle, script)
        return 'allowed'
      }
      catch (error) {
        return (error as Error).message.split(':')[0]
      }
    }
    expect(verdict(`kubectl config use-context ${handle.context}`)).toBe('allowed')
    expect(verdict(`kubectl --context=${handle.context} get pods`)).toBe('allowed')
    expect(verdict('kubectl --context "$PROD" get pods')).toBe(`the step names context "$PROD", but this run may only use kind-${handle.unique}`)
    expect(verdict('unset KUBECONFIG; kubectl get pods')).toBe('the step sets or unsets its own kubeconfig; steps must use the one the checker gives them')
    expect(verdict('env -u KUBECONFIG kubectl get pods')).toBe('the step sets or unsets its own kubeconfig; steps must use the one the checker gives them')
    expect(verdict('kubectl --kubeconfig ~/.kube/config get pods')).toBe('the step sets or unsets its own kubeconfig; steps must use the one the checker gives them')
  })

  it('keeps the cluster with --keep and says how to reach and delete it', async () => {
    const box = sandbox()
    const result = await checkLive(box, ['--scenario', 'two', '--keep'])
    expect(result.exitCode).toBe(0)
    const [unique] = liveClusters(box)
    expect(unique).toMatch(/^snippets-other-/)
    expect(result.stdout).toContain(`delete with: kind delete cluster --name ${unique}`)
    expect(box.log().some(c => c.startsWith('kind delete'))).toBe(false)
    const kubeconfig = /KUBECONFIG=(\S+)/.exec(result.stdout)![1]!
    expect(existsSync(kubeconfig)).toBe(true)
    rmSync(dirname(kubeconfig), { recursive: true, force: true })
  })

  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`on ${signal}: stops the running step, deletes the cluster, writes the report, exits ${status}`, async () => {
      const box = sandbox()
      const run = checkLive(box, ['--scenario', 'slow'])
      const marker = join(box.home, 'long-step-started')
      await waitForFile(marker)
      run.kill(signal)
      const result = await run
      expect(result.exitCode).toBe(status)
      expect(liveClusters(box)).toEqual([])
      expect(box.log().some(c => c.startsWith('kind delete cluster --name snippets-slow-'))).toBe(true)
      expect(report(box).interrupted).toBe(signal)
      expect(report(box).running).toBeUndefined()
      expect(report(box).finishedAt).toEqual(expect.any(String))
      expect(report(box).runs[0].steps.map((s: { status: string }) => s.status)).toEqual(['passed', 'skipped', 'skipped'])
      expect(readFileSync(join(box.report, 'junit.xml'), 'utf8')).toContain('interrupted by')
    }, 60_000)
  }

  it('writes its reports as it goes: a run killed outright (SIGKILL) still leaves the steps it saw', async () => {
    const box = sandbox()
    const run = checkLive(box, ['--scenario', 'slow'])
    const marker = join(box.home, 'long-step-started')
    await waitForFile(marker)
    run.kill('SIGKILL')
    await run
    const left = report(box)
    expect(left.running).toBe(true)
    expect(left.finishedAt).toBeUndefined()
    expect(left.runs[0].steps.map((s: { id: string, status: string }) => `${s.id} ${s.status}`)).toEqual(['slow/01-create-cluster passed'])
    expect(left.summary).toEqual({ passed: 1, failed: 0, skipped: 0 })
    expect(readFileSync(join(box.report, 'junit.xml'), 'utf8')).toContain('name="slow/01-create-cluster"')
    expect(readdirSync(box.report).sort()).toEqual(['junit.xml', 'report.json'])
    // A killed run can stop neither its step nor its cluster: the test does (the step leads its own process group).
    process.kill(-Number(readFileSync(marker, 'utf8')), 'SIGKILL')
    rmSync(join(box.home, 'stand-in-clusters'), { recursive: true, force: true })
  }, 60_000)
})

describe('the environment steps and tools get', () => {
  it('keeps PATH, HOME and how Docker reaches its engine; drops everything else', () => {
    expect(toolEnv({
      PATH: '/bin',
      HOME: '/home/presenter',
      DOCKER_HOST: 'unix:///run/user/1000/docker.sock',
      DOCKER_CONTEXT: 'rootless',
      KUBECONFIG: '/home/presenter/.kube/production',
      AWS_PROFILE: 'prod',
    })).toEqual({
      PATH: '/bin',
      HOME: '/home/presenter',
      DOCKER_HOST: 'unix:///run/user/1000/docker.sock',
      DOCKER_CONTEXT: 'rootless',
    })
  })
})

describe('live mode prerequisites', { timeout: 60_000 }, () => {
  const pins = readPins(fixture)

  it('names each missing or wrong tool with how to fix it, and exits 3 before creating anything', async () => {
    const box = sandbox()
    const result = await checkLive(box, ['--scenario', 'one'], {
      STAND_IN_DOCKER_DOWN: '1',
      STAND_IN_KIND_VERSION: '0.29.0',
      STAND_IN_KUBECTL_VERSION: 'v1.31.4',
      STAND_IN_LINKERD_VERSION: 'edge-26.5.1',
    })
    expect(result.exitCode).toBe(3)
    expect(result.stderr.split('\n')).toEqual([
      'missing: docker: the Docker engine is not reachable (docker info: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?). Start it, or check your permission to use it.',
      'missing: kind: version 0.29.0 found, the snippets pin v0.31.0 (snippets/versions.env KIND_VERSION).',
      'missing: kubectl: version v1.31.4 found; Kubernetes supports a kubectl within one minor version of the cluster, v1.35.0.',
      'missing: linkerd: CLI version edge-26.5.1 found, the snippets pin edge-26.6.3: run snippets/setup/01-install-cli.sh.',
    ])
    expect(box.log().some(c => c.startsWith('kind create'))).toBe(false)
  })

  it('takes kind\'s bare "0.31.0" (what `kind version -q` prints) as the pinned v0.31.0', async () => {
    const kindOnly: Probe = {
      run: async (command, args) => command === 'kind' && args.join(' ') === 'version -q'
        ? { exitCode: 0, stdout: '0.31.0\n', stderr: '' }
        : undefined,
      readNumber: async () => undefined,
    }
    const problems = await prerequisiteProblems(kindOnly, pins, 1)
    expect(problems.map(p => p.split(':')[0])).not.toContain('kind')
    expect(problems.map(p => p.split(':')[0])).toContain('docker')
  })

  it('names tools that are not on PATH at all', async () => {
    const nothing: Probe = {
      run: async () => undefined,
      readNumber: async () => undefined,
    }
    const problems = await prerequisiteProblems(nothing, pins, 1)
    expect(problems.map(p => p.split(':')[0])).toEqual(['docker', 'kind', 'kubectl', 'linkerd', 'jq'])
  })

  it('checks the inotify limits only when clusters run in parallel', async () => {
    const low: Probe = {
      ...systemProbe,
      readNumber: async () => 128,
    }
    const box = sandbox()
    process.env.PATH = box.env.PATH
    process.env.HOME = box.home
    expect(await prerequisiteProblems(low, pins, 1)).toEqual([])
    expect((await prerequisiteProblems(low, pins, 2)).map(p => p.split(' ')[0])).toEqual(['fs.inotify.max_user_watches', 'fs.inotify.max_user_instances'])
  })
})

describe('parallel clusters', { timeout: 60_000 }, () => {
  it('runs scenarios on separate clusters at the same time and deletes both', async () => {
    const box = sandbox()
    process.env.PATH = box.env.PATH
    process.env.HOME = box.home
    const roomy: Probe = {
      ...systemProbe,
      readNumber: async () => 1_000_000,
    }
    const lines: string[] = []
    const status = await runLiveCheck({
      root: box.root,
      scenarios: readScenarios(box.root),
      pins: readPins(box.root),
      wanted: ['one', 'two'],
      keep: false,
      parallel: 2,
      reportDir: box.report,
      probe: roomy,
      log: line => lines.push(line),
    })
    expect(status).toBe(0)
    const creations = box.log().filter(c => c.startsWith('kind create cluster')).map(c => /--name (\S+)/.exec(c)![1])
    expect(creations.sort()).toEqual([
      expect.stringMatching(/^snippets-demo-/),
      expect.stringMatching(/^snippets-other-/),
    ])
    // The second cluster is created while the first scenario is still polling its pods: the
    // two runs overlap (one after the other, "two" would start after the last poll).
    const log = box.log()
    const secondCreated = log.findIndex(c => c.startsWith('kind create cluster --name snippets-other-'))
    const lastPoll = log.findLastIndex(c => c.startsWith('kubectl get pods'))
    expect(secondCreated).toBeGreaterThan(-1)
    expect(secondCreated).toBeLessThan(lastPoll)
    expect(liveClusters(box)).toEqual([])
  })
})

describe('image preloading', { timeout: 60_000 }, () => {
  it('goes on without a preloaded image when kind load fails, and says why in the report', async () => {
    const box = sandbox()
    writeFileSync(join(box.home, 'stand-in-kind-load-fails'), '')
    const result = await checkLive(box, ['--scenario', 'one'])
    expect(result.exitCode, result.stderr).toBe(0)
    const notes: string[] = report(box).notes
    expect(notes.filter(n => n.includes('could not load'))).toHaveLength(preloadedImages(readPins(fixture)).length)
    expect(notes.filter(n => n.includes('preloaded'))).toEqual([])
    expect(notes.find(n => n.includes('could not load docker.io/hashicorp/http-echo:1.0.0'))).toMatch(/\(the node pulls it instead\): ERROR: failed to load image: /)
  })

  it('records the digest each image pinned by tag was pulled at, in the report', async () => {
    const box = sandbox()
    const result = await checkLive(box, ['--scenario', 'one'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(report(box).imageDigests).toEqual(Object.fromEntries(preloadedImages(readPins(fixture)).map(image => [
      image,
      standInDigest(image),
    ])))
  })

  it('finds an image\'s digest under the repository name Docker lists it by', () => {
    const digest = `sha256:${'a'.repeat(64)}`
    const cases: Array<[string, string]> = [
      ['docker.io/hashicorp/http-echo:1.0.0', 'hashicorp/http-echo'],
      ['curlimages/curl:8.11.1', 'curlimages/curl'],
      ['docker.io/library/alpine:3.21', 'alpine'],
      ['alpine', 'alpine'],
      ['cr.l5d.io/linkerd/proxy:edge-26.6.3', 'cr.l5d.io/linkerd/proxy'],
      ['localhost:5000/demo/app:1', 'localhost:5000/demo/app'],
      ['kindest/node:v1.35.0@sha256:452d707d4862f52530247495d180205e029056831160e22870e37e3f6c1ac31f', 'kindest/node'],
    ]
    expect(cases.map(([image]) => dockerRepository(image))).toEqual(cases.map(([, repository]) => repository))
    expect(digestFor('docker.io/hashicorp/http-echo:1.0.0', [`docker.io/hashicorp/http-echo@${digest}`, `hashicorp/http-echo@${digest}`])).toBe(digest)
    expect(digestFor('docker.io/hashicorp/http-echo:1.0.0', [`other/http-echo@${digest}`])).toBeUndefined()
    expect(digestFor('docker.io/hashicorp/http-echo:1.0.0', ['hashicorp/http-echo@sha256:short'])).toBeUndefined()
  })

  it('loads the demo images, Linkerd\'s proxy and controller images and the CNI plugin at their pinned versions', () => {
    expect(preloadedImages(readPins(repo))).toEqual([
      'docker.io/hashicorp/http-echo:1.0.0',
      'docker.io/curlimages/curl:8.11.1',
      'cr.l5d.io/linkerd/proxy:edge-26.6.3',
      'cr.l5d.io/linkerd/controller:edge-26.6.3',
      'cr.l5d.io/linkerd/cni-plugin:v1.6.8',
    ])
  })
})

describe('a step in a clean shell', () => {
  const scenario = readScenarios(fixture).find(s => s.name === 'one')!

  it('gets only PATH, HOME, LANG, KUBECONFIG and the pins, with errexit, nounset and pipefail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'step-env-'))
    const step = {
      ...scenario.steps[0]!,
      script: join(dir, 'env.sh'),
      compare: 'none' as const,
      createsCluster: false,
    }
    const run = async (body: string) => {
      writeFileSync(step.script, `#!/usr/bin/env bash\n# probe\n${body}\n`)
      return runStep(step, {
        cwd: dir,
        env: {
          PATH: process.env.PATH!,
          HOME: dir,
          LANG: 'C.UTF-8',
          KUBECONFIG: join(dir, 'k'),
          PIN: 'x',
        },
        clusterNames: new Map(),
      })
    }
    process.env.SECRET_TOKEN = 'must-not-leak'
    const env = await run('env | cut -d= -f1 | sort | tr "\\n" " "')
    expect(env.output.split(' ').filter(name => !['PWD', 'SHLVL', '_', ''].includes(name))).toEqual([
      'HOME',
      'KUBECONFIG',
      'LANG',
      'PATH',
      'PIN',
    ])
    expect((await run('false | cat\necho after')).status).toBe('failed')
    expect((await run('echo "$UNSET_VARIABLE"')).reason).toBe('exited 1, expected 0')
    expect((await run('exit 0')).status).toBe('passed')
  })

  it('judges an allowed failure by what it prints, not just by its exit status', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'step-outcome-'))
    writeFileSync(join(dir, 'x.out'), 'fine\n')
    writeFileSync(join(dir, 'x.exit3.out'), 'error: the {{hash}} went away\n')
    const step = {
      ...scenario.steps[0]!,
      id: 'demo/x',
      script: join(dir, 'x.sh'),
      exit: [0, 3],
      compare: 'pattern' as const,
      expectedOutput: join(dir, 'x.out'),
      otherOutcomes: {
        3: join(dir, 'x.exit3.out'),
      },
      createsCluster: false,
    }
    const run = async (body: string) => {
      writeFileSync(step.script, `#!/usr/bin/env bash\n# probe\n${body}\n`)
      return runStep(step, {
        cwd: dir,
        env: { PATH: process.env.PATH! },
        clusterNames: new Map(),
      })
    }
    expect((await run('echo fine')).status).toBe('passed')
    expect((await run('echo "error: the 5f7c9 went away"; exit 3')).status).toBe('passed')
    const wrong = await run('echo "segmentation fault"; exit 3')
    expect(wrong.status).toBe('failed')
    expect(wrong.diff).toContain('+segmentation fault')
  })
})
