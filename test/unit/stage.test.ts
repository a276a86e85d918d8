// `npm run stage`: the pure plans (what to run given the state, what --reset deletes, what
// --check checks) on the real snippets, then the real CLI against the stand-in kind, kubectl,
// docker and linkerd (test/fixtures/stand-in-bin/) and a two-cluster talk in miniature
// (test/fixtures/stage/). Every call the CLI makes to the tools lands in $HOME/stand-in.log.
import type { TalkState } from '../../scripts/talk/talk-files'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { readScenarios } from '../../scripts/snippet-check/scenarios'
import { parseStageArgs, STAGE_USAGE } from '../../scripts/talk/stage-args'
import { appliedManifests, isReadOnlyScript } from '../../scripts/talk/stage-commands'
import { checkList, checkStepOf, planDown, planReset, planStage, refusals, talkClusters } from '../../scripts/talk/stage-plan'
import { runScript } from '../run-script'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const fixture = fileURLToPath(new URL('../fixtures/stage', import.meta.url))
const standIns = fileURLToPath(new URL('../fixtures/stand-in-bin', import.meta.url))
const liveFixture = fileURLToPath(new URL('../fixtures/snippet-check/live', import.meta.url))

const real = readScenarios(repo)
const realClusters = talkClusters(real)
const empty = (): TalkState => ({ clusters: {}, staged: {} })
const ids = (steps: readonly { id: string }[]) => steps.map(step => step.id)

function stagedState(clusters: string[], steps: readonly { id: string }[]): TalkState {
  return {
    clusters: Object.fromEntries(clusters.map(cluster => [cluster, { createdAt: 'then' }])),
    staged: Object.fromEntries(steps.map(step => [step.id, { finishedAt: 'then' }])),
  }
}

describe('the staging plan (real snippets)', () => {
  const [init, cni] = realClusters

  it('stages startup-init, then startup-cni, each in its scenarios\' chain order', () => {
    expect(realClusters.map(c => [c.cluster, c.chain.map(s => s.name), c.creating.id])).toEqual([
      [
        'startup-init',
        ['setup', 'a-default-install', 'b-classic-sidecar', 'e-classic-await', 'g-job'],
        'setup/03-create-cluster',
      ],
      // d-cni-broken runs after f on purpose: f's pods are deployed while the CNI chain works.
      [
        'startup-cni',
        ['c-cni-install', 'f-cni-init-container', 'd-cni-broken'],
        'c-cni-install/01-create-cluster',
      ],
    ])
  })

  it('runs every staged step on a fresh machine, the live: false one included (skipped, with its why)', () => {
    const { plans } = planStage(realClusters, empty(), new Set())
    expect(plans.map(p => p.action)).toEqual(['create', 'create'])
    expect(ids(plans[0]!.todo)).toEqual(ids(init!.staged))
    expect(plans[0]!.todo[0]).toMatchObject({ id: 'setup/01-install-cli', live: false })
    expect(plans[0]!.done).toBe(0)
  })

  it('resumes at the step that failed, without the steps that passed', () => {
    const passed = init!.staged.slice(0, 8)
    const { plans } = planStage(realClusters, stagedState(['startup-init'], passed), new Set(['startup-init']))
    expect(plans[0]!.action).toBe('none')
    expect(ids(plans[0]!.todo)).toEqual(ids(init!.staged.slice(8)))
    expect(plans[0]!.done).toBe(7)
  })

  it('has nothing to do when every staged step passed and both clusters are there', () => {
    const all = stagedState(['startup-init', 'startup-cni'], [
      ...init!.staged,
      ...cni!.staged,
    ].filter(s => s.live))
    const { plans, state } = planStage(realClusters, all, new Set(['startup-init', 'startup-cni']))
    expect(plans.map(p => p.todo.length)).toEqual([0, 0])
    expect(state).toEqual(all)
  })

  it('forgets a recorded cluster that kind no longer has, and only that one', () => {
    const all = stagedState(['startup-init', 'startup-cni'], [
      ...init!.staged,
      ...cni!.staged,
    ].filter(s => s.live))
    const { plans, state } = planStage(realClusters, all, new Set(['startup-init']))
    expect(plans.map(p => [p.vanished, p.action])).toEqual([[false, 'none'], [true, 'create']])
    expect(Object.keys(state.clusters)).toEqual(['startup-init'])
    expect(Object.keys(state.staged).some(id => id.startsWith('c-cni-install/'))).toBe(false)
    expect(ids(plans[1]!.todo)).toEqual(ids(cni!.staged))
  })

  it('deletes and creates again a recorded cluster whose creation never finished', () => {
    const { plans } = planStage(realClusters, stagedState(['startup-init'], []), new Set(['startup-init']))
    expect(plans[0]!.action).toBe('recreate')
  })

  it('refuses a cluster or a context of a talk cluster\'s name that staging did not create', () => {
    const contexts = new Map([['kind-startup-cni', '/home/p/.kube/config'], ['prod', '/home/p/.kube/config']])
    expect(refusals(realClusters, empty(), new Set(['startup-init', 'other']), contexts)).toEqual([
      'a kind cluster named startup-init exists, but npm run stage did not create it (.talk/state.json does not record it). If it is a leftover of an earlier talk, delete it (kind delete cluster --name startup-init); then run npm run stage again.',
      'your kubeconfig /home/p/.kube/config already has a context kind-startup-cni, which npm run stage did not create. If it is stale, remove it (kubectl config delete-context kind-startup-cni); then run npm run stage again.',
    ])
    expect(refusals(realClusters, stagedState(['startup-init', 'startup-cni'], []), new Set(['startup-init']), contexts)).toEqual([])
  })

  it('deletes only the clusters staging created', () => {
    expect(planDown(realClusters, stagedState(['startup-init'], []), new Set(['startup-cni', 'other']))).toEqual({
      remove: [],
      gone: ['startup-init'],
      foreign: ['startup-cni'],
    })
  })
})

describe('--reset: what the snippets declare', () => {
  const all = stagedState(['startup-init', 'startup-cni'], realClusters.flatMap(c => c.staged))
  const reset = (name: string, state = all) => planReset(real, realClusters, state, name)

  it('deletes the demo manifests a scenario\'s steps apply (never namespace.yaml), then reruns its staged steps', () => {
    const manifests = Object.fromEntries([
      'a-default-install',
      'b-classic-sidecar',
      'd-cni-broken',
      'e-classic-await',
      'f-cni-init-container',
      'g-job',
    ]
      .map((name) => {
        const plan = reset(name)
        return [name, 'error' in plan ? plan.error : plan.manifests]
      }))
    expect(manifests).toEqual({
      'a-default-install': ['snippets/apps/server.yaml'],
      'b-classic-sidecar': ['snippets/apps/server-classic.yaml'],
      'd-cni-broken': ['snippets/apps/latecomer.yaml'],
      'e-classic-await': ['snippets/apps/client-noawait.yaml', 'snippets/apps/client-await.yaml'],
      'f-cni-init-container': ['snippets/apps/init-classic.yaml', 'snippets/apps/init-native.yaml'],
      // 05-run-native runs on stage, but a rehearsal applied it: the reset deletes it too.
      'g-job': ['snippets/apps/job-classic.yaml', 'snippets/apps/job-native.yaml'],
    })
    const d = reset('d-cni-broken')
    expect('error' in d ? d.error : ids(d.steps)).toEqual([
      'd-cni-broken/01-use-context',
      'd-cni-broken/02-break-cni',
      'd-cni-broken/03-wait-cni',
      'd-cni-broken/04-conflist',
      'd-cni-broken/05-deploy-latecomer',
      'd-cni-broken/06-wait-failure',
    ])
  })

  it('first runs the scenario\'s reset: steps, which undo what a rehearsal changed beyond the manifests', () => {
    const undo = (name: string) => {
      const plan = reset(name)
      return 'error' in plan ? plan.error : ids(plan.undo)
    }
    // A rehearsal stopped between 07 and 18 leaves the chain broken and linkerd-destination's new
    // pod stuck under it: repair, recreate, wait for the rollout. Never the staged steps again.
    expect(undo('d-cni-broken')).toEqual([
      'd-cni-broken/13-repair-cni',
      'd-cni-broken/14-wait-cni',
      'd-cni-broken/18-recreate',
      'd-cni-broken/19-wait-destination',
    ])
    expect(undo('g-job')).toEqual([])
    expect(undo('a-default-install')).toEqual([])
  })

  it('is needed after a rehearsal only for d-cni-broken and g-job: every other step run on stage only reads', () => {
    const changing = real.filter(s => s.live && s.steps.some(step => !step.staged && step.live && !isReadOnlyScript(readFileSync(step.script, 'utf8'))))
    expect(changing.map(s => s.name)).toEqual(['d-cni-broken', 'g-job'])
  })

  it('warns about the scenarios staged after it on the same cluster', () => {
    const f = reset('f-cni-init-container')
    expect('error' in f ? f.error : f.later.map(s => s.name)).toEqual(['d-cni-broken'])
  })

  it('says why it can\'t reset an unknown scenario, one with no staged steps, one that creates its cluster, or before staging', () => {
    const error = (name: string, state = all) => {
      const plan = reset(name, state)
      return 'error' in plan ? plan.error : 'planned'
    }
    expect(error('d-broken')).toBe('unknown scenario "d-broken" (scenarios that can be reset: a-default-install, b-classic-sidecar, e-classic-await, g-job, f-cni-init-container, d-cni-broken)')
    expect(error('cleanup')).toBe('cleanup has no staged steps (it never runs live: the checker deletes the clusters it created itself), so there is nothing to reset')
    expect(error('setup')).toBe('setup creates startup-init (setup/03-create-cluster), so its starting state is no cluster at all: npm run stage -- --down, then npm run stage')
    expect(error('c-cni-install')).toBe('c-cni-install creates startup-cni (c-cni-install/01-create-cluster), so its starting state is no cluster at all: npm run stage -- --down, then npm run stage')
    expect(error('troubleshooting')).toBe('troubleshooting has no staged steps (it never runs live: needs NS and POD of a pod in trouble; not part of the hands-on sequence), so there is nothing to reset')
    expect(error('g-job', empty())).toBe('startup-init is not staged yet (npm run stage has not created it): run npm run stage first')
    const partly = stagedState(['startup-init'], realClusters[0]!.staged.slice(0, 9))
    expect(error('g-job', partly)).toBe('g-job runs after a-default-install, whose staged step a-default-install/04-check has not passed: run npm run stage first')
  })

  it('reads the manifests from the step text: kubectl apply -f, continuation lines, no other command', () => {
    expect(appliedManifests('kubectl apply -f snippets/apps/namespace.yaml \\\n  -f snippets/apps/server.yaml\nkubectl rollout status deployment/server')).toEqual(['snippets/apps/server.yaml'])
    expect(appliedManifests('kubectl delete -f snippets/apps/server.yaml\ncat snippets/apps/job.yaml')).toEqual([])
    expect(appliedManifests('kubectl apply --filename=snippets/apps/a.yaml # and snippets/apps/b.yaml')).toEqual(['snippets/apps/a.yaml'])
  })
})

describe('--check: the checks and the steps it runs', () => {
  it('checks the state the next live step expects with a step that only reads, for every live scenario', () => {
    const checked = real.filter(s => s.live).map(s => [s.name, checkStepOf(s)?.id])
    expect(checked).toEqual([
      ['a-default-install', 'a-default-install/07-containers'],
      ['b-classic-sidecar', 'b-classic-sidecar/04-containers'],
      ['c-cni-install', 'c-cni-install/10-containers'],
      ['d-cni-broken', 'd-cni-broken/08-pods'],
      ['e-classic-await', 'e-classic-await/04-restarts'],
      ['f-cni-init-container', 'f-cni-init-container/04-init-order'],
      ['g-job', 'g-job/04-pods-classic'],
      ['setup', undefined],
    ])
    for (const scenario of real.filter(s => s.live)) {
      const step = checkStepOf(scenario)
      if (step)
        expect(isReadOnlyScript(readFileSync(step.script, 'utf8')), step.id).toBe(true)
    }
  })

  it('counts as read-only only kubectl get/logs/describe, docker exec cat/ls and filters', () => {
    for (const script of [
      'kubectl apply -f snippets/apps/x.yaml',
      'kubectl get pods\nkubectl delete pod -l app=x',
      'n=$(kubectl get pods -o name)',
      'kubectl get pods > pods.txt',
      'docker exec node rm /etc/cni/net.d/x',
      'docker exec node cat f | sed -i s/a/b/ f',
      'kubectl get pods && `touch x`',
      '',
    ])
      expect(isReadOnlyScript(script), script).toBe(false)
    expect(isReadOnlyScript('kubectl get pods -o custom-columns=\\\n\'A:.b,\'\\\n\'C:.d\' | jq -r \'.x | .y\' # a comment; rm -rf /')).toBe(true)
  })

  it('lists, per cluster, the cluster, its nodes, Linkerd, then each scenario\'s staged steps and next step', () => {
    expect(checkList(talkClusters(readScenarios(fixture))).map(c => c.label)).toEqual([
      'startup-init: staged by npm run stage and running',
      'startup-init: nodes Ready',
      'startup-init: Linkerd healthy',
      'setup: 2 staged steps passed',
      'a-default-install: 4 staged steps passed',
      'a-default-install: ready for a-default-install/05-pods',
      'startup-cni: staged by npm run stage and running',
      'startup-cni: nodes Ready',
      'startup-cni: Linkerd healthy',
      'c-cni-install: 5 staged steps passed',
      'c-cni-install: ready for c-cni-install/06-pods',
      'f-cni-init-container: 2 staged steps passed',
      'f-cni-init-container: ready for f-cni-init-container/03-pods',
      'd-cni-broken: 4 staged steps passed',
      'd-cni-broken: ready for d-cni-broken/05-pods',
    ])
  })
})

// ---- The CLI against the stand-in tools ----

interface Sandbox {
  dir: string
  root: string
  home: string
  log: () => string[]
  clearLog: () => void
  state: () => TalkState
  presenterKubeconfig: () => string
  contexts: () => string[]
  clusters: () => string[]
}

const PRESENTER_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://prod.example:6443
contexts:
- name: prod
  context:
    cluster: prod
    user: prod
current-context: prod
users:
- name: prod
  user:
    token: abc
`

function sandbox(from?: Sandbox): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'stage-test-'))
  if (from) {
    cpSync(from.dir, dir, { recursive: true })
  }
  else {
    cpSync(fixture, join(dir, 'root'), { recursive: true })
    mkdirSync(join(dir, 'home', '.kube'), { recursive: true })
    writeFileSync(join(dir, 'home', '.kube', 'config'), PRESENTER_KUBECONFIG)
  }
  const root = join(dir, 'root')
  const home = join(dir, 'home')
  const logFile = join(home, 'stand-in.log')
  const presenterKubeconfig = () => readFileSync(join(home, '.kube', 'config'), 'utf8')
  return {
    dir,
    root,
    home,
    log: () => existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean) : [],
    clearLog: () => rmSync(logFile, { force: true }),
    state: () => JSON.parse(readFileSync(join(root, '.talk', 'state.json'), 'utf8')) as TalkState,
    presenterKubeconfig,
    contexts: () => ((parse(presenterKubeconfig()) as { contexts: { name: string }[] }).contexts).map(c => c.name),
    clusters: () => existsSync(join(home, 'stand-in-clusters'))
      ? readdirSync(join(home, 'stand-in-clusters')).sort()
      : [],
  }
}

function stage(box: Sandbox, args: string[] = [], extraEnv: Record<string, string> = {}) {
  return runScript('scripts/stage.ts', ['--root', box.root, ...args], {
    extendEnv: false,
    env: { HOME: box.home, PATH: `${standIns}:${process.env.PATH}`, ...extraEnv },
  })
}

/** What the stand-in docker says the cluster's node container ID is: what the stand-in kind wrote at creation. */
const nodeIdOf = (box: Sandbox, cluster: string) => readFileSync(join(box.home, 'stand-in-clusters', cluster), 'utf8')

/** An attendee's context, flattened and renamed kind-startup-cni, as npm run demo --context copies it. */
const ATTENDEE_COPY = `apiVersion: v1
kind: Config
clusters:
- name: attendee
  cluster:
    server: https://attendee.example:6443
contexts:
- name: kind-startup-cni
  context:
    cluster: attendee
    user: attendee
current-context: kind-startup-cni
users:
- name: attendee
  user:
    token: xyz
`

/** Deletes a talk cluster and makes another of the same name, outside npm run stage (as a create-cluster snippet would). */
async function recreateByHand(box: Sandbox, cluster: string) {
  const env = { HOME: box.home, PATH: `${standIns}:${process.env.PATH}` }
  await execa('kind', ['delete', 'cluster', '--name', cluster], { env, extendEnv: false })
  await execa('kind', ['create', 'cluster', '--name', cluster], { env, extendEnv: false })
}

/** Calls that change nothing: versions, lists, inspections, reads. */
const READ_ONLY_CALL = /^(?:docker info|docker image inspect|docker inspect|kind version|kind get clusters|kind get kubeconfig|kubectl version|kubectl get |linkerd version|linkerd check)/
const flag = (box: Sandbox, name: string) => writeFileSync(join(box.home, name), '')
const unflag = (box: Sandbox, name: string) => rmSync(join(box.home, name), { force: true })
/** Runs an on-stage step as the presenter would during a rehearsal. */
async function rehearse(box: Sandbox, cluster: string, step: string) {
  const result = await execa('bash', [join(box.root, 'snippets', `${step}.sh`)], {
    cwd: box.root,
    extendEnv: false,
    env: {
      HOME: box.home,
      PATH: `${standIns}:${process.env.PATH}`,
      KUBECONFIG: join(box.root, '.talk', 'kubeconfig', `${cluster}.yaml`),
    },
  })
  expect(result.exitCode).toBe(0)
}

describe.concurrent('npm run stage with stand-in tools', { timeout: 60_000 }, () => {
  // One full staging, copied for every test that starts from a staged pair of clusters.
  let staged: Sandbox
  let first: Awaited<ReturnType<typeof stage>>
  beforeAll(async () => {
    staged = sandbox()
    first = await stage(staged)
  }, 60_000)

  it('stages everything: node image, cluster, contexts, images, then each staged step in order', () => {
    expect(first.exitCode, first.stderr).toBe(0)
    const changes = staged.log().filter(call => !READ_ONLY_CALL.test(call))
    expect(changes).toEqual([
      'docker pull kindest/node:v1.35.0',
      'kind create cluster --name startup-init --image kindest/node:v1.35.0 --wait 120s',
      'kind export kubeconfig --name startup-init',
      'docker pull docker.io/hashicorp/http-echo:1.0.0',
      'kind load docker-image docker.io/hashicorp/http-echo:1.0.0 --name startup-init',
      'docker pull cr.l5d.io/linkerd/proxy:edge-26.6.3',
      'kind load docker-image cr.l5d.io/linkerd/proxy:edge-26.6.3 --name startup-init',
      'docker pull cr.l5d.io/linkerd/controller:edge-26.6.3',
      'kind load docker-image cr.l5d.io/linkerd/controller:edge-26.6.3 --name startup-init',
      'kubectl config use-context kind-startup-init',
      'linkerd install',
      'kubectl apply -f -',
      'kubectl apply -f snippets/apps/namespace.yaml -f snippets/apps/server.yaml',
      'kubectl rollout status deployment/server -n demo --timeout=120s',
      // The node image is pulled already: no second pull before the second cluster.
      'kind create cluster --name startup-cni --image kindest/node:v1.35.0 --wait 120s',
      'kind export kubeconfig --name startup-cni',
      'kind load docker-image docker.io/hashicorp/http-echo:1.0.0 --name startup-cni',
      'kind load docker-image cr.l5d.io/linkerd/proxy:edge-26.6.3 --name startup-cni',
      'kind load docker-image cr.l5d.io/linkerd/controller:edge-26.6.3 --name startup-cni',
      'linkerd install-cni',
      'kubectl apply -f -',
      'linkerd install --linkerd-cni-enabled',
      'kubectl apply -f -',
      'kubectl apply -f snippets/apps/namespace.yaml -f snippets/apps/server.yaml',
      'kubectl config use-context kind-startup-cni',
      'kubectl apply -f snippets/apps/init-classic.yaml',
      'kubectl config use-context kind-startup-cni',
      'linkerd install-cni --dest-cni-net-dir /etc/cni/wrong.d',
      'kubectl apply -f -',
      'kubectl apply -f snippets/apps/latecomer.yaml',
      'kubectl wait -n demo pod -l app=latecomer --timeout=120s --for=jsonpath={.status.initContainerStatuses[0].state.waiting.reason}=CrashLoopBackOff',
    ])
    const lines = first.stdout.split('\n')
    expect(lines[0]).toBe('startup-init: setup, a-default-install: 0 of 6 staged steps done, 6 to run')
    expect(lines[1]).toBe('skipped setup/01-install-cli: installs the CLI; staging needs it on PATH first')
    expect(lines[2]).toBe('startup-init: pulled kindest/node:v1.35.0 before creating the cluster')
    expect(lines[3]).toMatch(/^passed {2}setup\/02-create-cluster \d+\.\ds$/)
    expect(lines).toContain('startup-init: context kind-startup-init added to your kubeconfig')
    expect(lines).toContain('startup-cni: preloaded cr.l5d.io/linkerd/proxy:edge-26.6.3')
    expect(lines.filter(line => line.startsWith('passed '))).toHaveLength(17)
    expect(lines.at(-1)).toBe('staged startup-init and startup-cni; last thing before going on stage: npm run stage -- --check')
    expect(existsSync(join(staged.home, 'cli-installed'))).toBe(false)
  })

  it('records the clusters and every passed step, and keeps each cluster\'s context in its own kubeconfig', () => {
    const state = staged.state()
    expect(Object.keys(state.clusters)).toEqual(['startup-init', 'startup-cni'])
    expect(Object.keys(state.staged)).toEqual(talkClusters(readScenarios(fixture)).flatMap(c => c.staged.filter(s => s.live).map(s => s.id)))
    // The presenter's own context is kept; kind added the talk's two.
    expect(staged.contexts().sort()).toEqual(['kind-startup-cni', 'kind-startup-init', 'prod'])
    for (const cluster of ['startup-init', 'startup-cni']) {
      const own = parse(readFileSync(join(staged.root, '.talk', 'kubeconfig', `${cluster}.yaml`), 'utf8')) as { contexts: { name: string }[] }
      expect(own.contexts.map(c => c.name)).toEqual([`kind-${cluster}`])
      // Its identity: the ID of the node container kind made (the stand-in keeps it in its cluster file).
      expect(state.clusters[cluster]!.nodeId).toBe(nodeIdOf(staged, cluster))
      expect(state.clusters[cluster]!.nodeId).toMatch(/^[0-9a-f]{64}$/)
      expect(state.clusters[cluster]!.preloaded).toEqual(expect.any(String))
    }
    expect(state.clusters['startup-init']!.nodeId).not.toBe(state.clusters['startup-cni']!.nodeId)
  })

  it('writes each cluster\'s private kubeconfig again from kind before --check, --reset and a run: a copy of another context left there is never used', async () => {
    const box = sandbox(staged)
    const kubeconfig = join(box.root, '.talk', 'kubeconfig', 'startup-cni.yaml')
    const kinds = readFileSync(kubeconfig, 'utf8')
    for (const args of [['--check'], ['--reset', 'd-cni-broken'], []]) {
      // What npm run demo -- --context attendee used to leave there: the attendee's own cluster
      // under the context name kind-startup-cni (the stand-in kubectl can't reach it).
      writeFileSync(kubeconfig, ATTENDEE_COPY)
      const result = await stage(box, args)
      expect(result.exitCode, `stage ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`).toBe(0)
      expect(readFileSync(kubeconfig, 'utf8'), args.join(' ')).toBe(kinds)
    }
  })

  it('a second run changes nothing and says so', async () => {
    const box = sandbox(staged)
    box.clearLog()
    const before = [readFileSync(join(box.root, '.talk', 'state.json'), 'utf8'), box.presenterKubeconfig()]
    const result = await stage(box)
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout.split('\n')).toEqual([
      'startup-init: 6 staged steps already done; nothing to do',
      'startup-cni: 11 staged steps already done; nothing to do',
      'everything was staged already; last thing before going on stage: npm run stage -- --check',
    ])
    expect(box.log().filter(call => !READ_ONLY_CALL.test(call))).toEqual([])
    expect(box.log()).toContain('kind get clusters')
    expect([
      readFileSync(join(box.root, '.talk', 'state.json'), 'utf8'),
      box.presenterKubeconfig(),
    ]).toEqual(before)
  })

  it('stages again a recorded cluster that has vanished, and leaves the other alone', async () => {
    const box = sandbox(staged)
    rmSync(join(box.home, 'stand-in-clusters', 'startup-cni'))
    box.clearLog()
    const result = await stage(box)
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toContain('startup-init: 6 staged steps already done; nothing to do')
    expect(result.stdout).toContain('startup-cni: recorded in .talk/state.json, but kind has no such cluster any more: forgot its staged steps; staging it again')
    const creations = box.log().filter(call => call.startsWith('kind create'))
    expect(creations).toEqual(['kind create cluster --name startup-cni --image kindest/node:v1.35.0 --wait 120s'])
  })

  it('after a failing step: stops with its output and exit 1; the next run resumes at that step', async () => {
    const box = sandbox()
    flag(box, 'stand-in-linkerd-unhealthy')
    const failed = await stage(box)
    expect(failed.exitCode).toBe(1)
    expect(failed.stdout).toMatch(/failed {2}a-default-install\/03-check \d+\.\ds: exited 1, expected 0/)
    expect(failed.stdout).toContain('  what it printed:\n    linkerd-existence\n')
    expect(failed.stdout).toContain('    Status check results are ×')
    expect(failed.stdout.trim().split('\n').at(-1)).toBe('stopped at a-default-install/03-check: fix what it says, then run npm run stage again; it resumes at that step (the steps that passed are not run again)')
    expect(Object.keys(box.state().staged)).toEqual([
      'setup/02-create-cluster',
      'setup/03-nodes',
      'a-default-install/01-use-context',
      'a-default-install/02-install',
    ])
    expect(box.clusters()).toEqual(['startup-init'])

    unflag(box, 'stand-in-linkerd-unhealthy')
    box.clearLog()
    const resumed = await stage(box)
    expect(resumed.exitCode, resumed.stderr).toBe(0)
    expect(resumed.stdout.split('\n')[0]).toBe('startup-init: setup, a-default-install: 4 of 6 staged steps done, 2 to run')
    expect(resumed.stdout).not.toContain('setup/01-install-cli')
    const calls = box.log().filter(call => !/^(?:docker info|docker inspect|kind version|kubectl version|linkerd version|kind get (?:clusters|kubeconfig))/.test(call))
    expect(calls.slice(0, 2)).toEqual(['linkerd check', 'kubectl apply -f snippets/apps/namespace.yaml -f snippets/apps/server.yaml'])
    expect(calls.filter(call => call.startsWith('kind create'))).toEqual(['kind create cluster --name startup-cni --image kindest/node:v1.35.0 --wait 120s'])
  })

  it('deletes and creates again a cluster whose creation was interrupted', async () => {
    const box = sandbox()
    mkdirSync(join(box.root, '.talk'))
    writeFileSync(join(box.root, '.talk', 'state.json'), JSON.stringify({
      clusters: {
        'startup-init': { createdAt: 'then' },
      },
      staged: {},
    }))
    mkdirSync(join(box.home, 'stand-in-clusters'))
    writeFileSync(join(box.home, 'stand-in-clusters', 'startup-init'), '')
    const result = await stage(box)
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toContain('startup-init: the last run stopped while creating it; deleting it to create it again')
    expect(box.log().filter(call => /^kind (?:create|delete)/.test(call)).slice(0, 2)).toEqual([
      'kind delete cluster --name startup-init',
      'kind create cluster --name startup-init --image kindest/node:v1.35.0 --wait 120s',
    ])
  })

  it('refuses, changing nothing, a kind cluster of a talk cluster\'s name that it did not create', async () => {
    const box = sandbox()
    mkdirSync(join(box.home, 'stand-in-clusters'))
    writeFileSync(join(box.home, 'stand-in-clusters', 'startup-cni'), '')
    const result = await stage(box)
    expect(result.exitCode).toBe(3)
    expect(result.stderr.split('\n')).toEqual([
      'refused: a kind cluster named startup-cni exists, but npm run stage did not create it (.talk/state.json does not record it). If it is a leftover of an earlier talk, delete it (kind delete cluster --name startup-cni); then run npm run stage again.',
      'nothing was changed',
    ])
    expect(box.log().filter(call => !READ_ONLY_CALL.test(call))).toEqual([])
    expect(existsSync(join(box.root, '.talk'))).toBe(false)
    expect(box.presenterKubeconfig()).toBe(PRESENTER_KUBECONFIG)
  })

  it('refuses, changing nothing, a context kind-startup-init in the presenter\'s kubeconfig that it did not create', async () => {
    const box = sandbox()
    const kubeconfig = join(box.home, 'work.yaml')
    const text = PRESENTER_KUBECONFIG.replaceAll('prod', 'kind-startup-init')
    writeFileSync(kubeconfig, text)
    const result = await stage(box, [], { KUBECONFIG: kubeconfig })
    expect(result.exitCode).toBe(3)
    expect(result.stderr.split('\n')).toEqual([
      `refused: your kubeconfig ${kubeconfig} already has a context kind-startup-init, which npm run stage did not create. If it is stale, remove it (kubectl config delete-context kind-startup-init); then run npm run stage again.`,
      'nothing was changed',
    ])
    expect(box.log().filter(call => !READ_ONLY_CALL.test(call))).toEqual([])
    expect(readFileSync(kubeconfig, 'utf8')).toBe(text)
    expect(existsSync(join(box.root, '.talk'))).toBe(false)
  })

  it('names each missing prerequisite and exits 3 before creating anything', async () => {
    const box = sandbox()
    const result = await stage(box, [], { STAND_IN_DOCKER_DOWN: '1', STAND_IN_LINKERD_VERSION: 'edge-26.5.1' })
    expect(result.exitCode).toBe(3)
    expect(result.stderr.split('\n')).toEqual([
      'missing: docker: the Docker engine is not reachable (docker info: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?). Start it, or check your permission to use it.',
      'missing: linkerd: CLI version edge-26.5.1 found, the snippets pin edge-26.6.3: run snippets/setup/01-install-cli.sh.',
    ])
    expect(box.log().filter(call => !READ_ONLY_CALL.test(call))).toEqual([])
  })

  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`on ${signal}: stops the running step, keeps the steps that passed, exits ${status}; resumable`, async () => {
      const box = sandbox()
      flag(box, 'stand-in-linkerd-check-hangs')
      const run = stage(box)
      const marker = join(box.home, 'stand-in-linkerd-check-started')
      for (let waited = 0; !existsSync(marker) && waited < 30_000; waited += 100)
        await new Promise(resolve => setTimeout(resolve, 100))
      run.kill(signal)
      const result = await run
      expect(result.exitCode, result.stdout).toBe(status)
      expect(result.stdout).toContain(`${signal}: stopping the running step; the steps that passed stay recorded`)
      expect(result.stdout).toContain('interrupted at a-default-install/03-check: the steps that passed are recorded in .talk/state.json; npm run stage resumes from there')
      expect(Object.keys(box.state().staged)).toEqual([
        'setup/02-create-cluster',
        'setup/03-nodes',
        'a-default-install/01-use-context',
        'a-default-install/02-install',
      ])
      if (signal === 'SIGINT') {
        unflag(box, 'stand-in-linkerd-check-hangs')
        const resumed = await stage(box)
        expect(resumed.exitCode, resumed.stderr).toBe(0)
        expect(resumed.stdout.split('\n')[0]).toBe('startup-init: setup, a-default-install: 4 of 6 staged steps done, 2 to run')
      }
    })
  }

  it('loads the pinned images again when the last run was interrupted while loading them', async () => {
    const box = sandbox()
    flag(box, 'stand-in-kind-load-slow')
    const run = stage(box)
    const marker = join(box.home, 'stand-in-kind-load-started')
    for (let waited = 0; !existsSync(marker) && waited < 30_000; waited += 100)
      await new Promise(resolve => setTimeout(resolve, 100))
    run.kill('SIGTERM')
    const interrupted = await run
    expect(interrupted.exitCode, interrupted.stdout).toBe(143)
    // The cluster and its creating step are recorded; the preload is not.
    expect(Object.keys(box.state().staged)).toEqual(['setup/02-create-cluster'])
    expect(box.state().clusters['startup-init']!.preloaded).toBeUndefined()

    unflag(box, 'stand-in-kind-load-slow')
    box.clearLog()
    const resumed = await stage(box)
    expect(resumed.exitCode, resumed.stderr).toBe(0)
    expect(resumed.stdout.split('\n').slice(0, 2)).toEqual([
      'startup-init: the pinned images were not all loaded into it (the last run stopped first); loading them',
      'startup-init: preloaded docker.io/hashicorp/http-echo:1.0.0',
    ])
    const loads = box.log().filter(call => call.startsWith('kind load docker-image'))
    expect(loads.filter(call => call.endsWith('--name startup-init'))).toHaveLength(3)
    expect(box.log().filter(call => call.startsWith('kind create'))).toEqual(['kind create cluster --name startup-cni --image kindest/node:v1.35.0 --wait 120s'])
    expect(box.state().clusters['startup-init']!.preloaded).toEqual(expect.any(String))

    // Done: the next run has nothing to load.
    box.clearLog()
    const again = await stage(box)
    expect(again.stdout).toContain('startup-init: 6 staged steps already done; nothing to do')
    expect(box.log().filter(call => call.startsWith('kind load'))).toEqual([])
  })

  describe('a talk cluster deleted and made again under its name, outside npm run stage', () => {
    it('is refused, changing nothing, by a run, --check, --reset and --down (exit 3), saying what to do', async () => {
      const box = sandbox(staged)
      const recorded = box.state().clusters['startup-cni']!.nodeId!
      await recreateByHand(box, 'startup-cni')
      const live = nodeIdOf(box, 'startup-cni')
      expect(live).not.toBe(recorded)
      const before = [readFileSync(join(box.root, '.talk', 'state.json'), 'utf8'), box.clusters(), live]
      box.clearLog()
      for (const args of [[], ['--check'], ['--reset', 'd-cni-broken'], ['--down']]) {
        const result = await stage(box, args)
        expect(result.exitCode, `stage ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`).toBe(3)
        expect(result.stderr).toContain(`refused: startup-cni is not the cluster npm run stage created: its node container startup-cni-control-plane is ${live.slice(0, 12)}, .talk/state.json recorded ${recorded.slice(0, 12)}, so it was deleted and another made under its name (by hand, or with a create-cluster snippet). It is left alone. If you don't need that one, delete it (kind delete cluster --name startup-cni); then npm run stage stages startup-cni again.`)
      }
      expect(box.log().filter(call => !READ_ONLY_CALL.test(call))).toEqual([])
      expect([
        readFileSync(join(box.root, '.talk', 'state.json'), 'utf8'),
        box.clusters(),
        nodeIdOf(box, 'startup-cni'),
      ]).toEqual(before)

      // Once it is gone, staging makes its own again.
      await execa('kind', ['delete', 'cluster', '--name', 'startup-cni'], {
        env: { HOME: box.home, PATH: `${standIns}:${process.env.PATH}` },
        extendEnv: false,
      })
      const restaged = await stage(box)
      expect(restaged.exitCode, restaged.stderr).toBe(0)
      expect(box.state().clusters['startup-cni']!.nodeId).toBe(nodeIdOf(box, 'startup-cni'))
    })

    it('a cluster recorded without its ID (by an older npm run stage): refused until a run takes the running one as its own', async () => {
      const box = sandbox(staged)
      const state = box.state()
      for (const cluster of Object.values(state.clusters))
        delete cluster.nodeId
      writeFileSync(join(box.root, '.talk', 'state.json'), JSON.stringify(state))
      const down = await stage(box, ['--down'])
      expect(down.exitCode).toBe(3)
      expect(down.stderr.split('\n')[0]).toBe('refused: startup-init was recorded by an older npm run stage, without its node container\'s ID, so it can\'t be told from another cluster of that name: run npm run stage once (it takes the running startup-init as its own and records the ID), then again what you ran')
      expect(box.clusters()).toEqual(['startup-cni', 'startup-init'])
      const run = await stage(box)
      expect(run.exitCode, run.stderr).toBe(0)
      expect(run.stdout).toContain(`startup-init: recorded without its node container's ID (by an older npm run stage); took the running one, ${nodeIdOf(box, 'startup-init').slice(0, 12)}, as its own`)
      expect(box.state().clusters['startup-cni']!.nodeId).toBe(nodeIdOf(box, 'startup-cni'))
      expect((await stage(box, ['--down'])).exitCode).toBe(0)
      expect(box.clusters()).toEqual([])
    })
  })

  describe('--check', () => {
    it('passes on a staged pair of clusters, one line per check, changing nothing', async () => {
      const box = sandbox(staged)
      box.clearLog()
      const result = await stage(box, ['--check'])
      expect(result.exitCode, result.stdout).toBe(0)
      const lines = result.stdout.split('\n')
      expect(lines.slice(0, -1).every(line => line.startsWith('ok   '))).toBe(true)
      expect(lines).toHaveLength(16)
      expect(lines.at(-1)).toBe('15 checks passed: ready to go on stage')
      expect(box.log().filter(call => !READ_ONLY_CALL.test(call))).toEqual([])
      expect(box.log()).toContain('kubectl get nodes --no-headers --context kind-startup-cni')
      expect(box.log()).toContain('linkerd check --context kind-startup-init --wait 1m --output short')
    })

    it('fails on a node NotReady, an unhealthy Linkerd and a pod no longer in the state the next step expects', async () => {
      const box = sandbox(staged)
      flag(box, 'stand-in-node-notready')
      flag(box, 'stand-in-linkerd-unhealthy')
      await rehearse(box, 'startup-cni', 'd-cni-broken/06-repair-cni')
      await rehearse(box, 'startup-cni', 'd-cni-broken/07-recreate')
      const result = await stage(box, ['--check'])
      expect(result.exitCode).toBe(1)
      const failures = result.stdout.split('\n').filter(line => line.startsWith('FAIL'))
      expect(failures).toEqual([
        'FAIL startup-init: nodes Ready: startup-init-control-plane is NotReady',
        'FAIL startup-init: Linkerd healthy: linkerd check failed',
        'FAIL startup-cni: nodes Ready: startup-cni-control-plane is NotReady',
        'FAIL startup-cni: Linkerd healthy: linkerd check failed',
        'FAIL d-cni-broken: ready for d-cni-broken/05-pods: output differs from the .out file; npm run stage -- --reset d-cni-broken puts it back',
      ])
      expect(result.stdout).toContain('    +latecomer-5d4f7b9c8-x2x9q   2/2     Running     0          5s')
      expect(result.stdout.trim().split('\n').at(-1)).toBe('15 checks, 5 failed')
    })

    it('fails every check of a cluster that is not staged, saying why', async () => {
      const box = sandbox()
      const result = await stage(box, ['--check'])
      expect(result.exitCode).toBe(1)
      const lines = result.stdout.split('\n')
      expect(lines[0]).toBe('FAIL startup-init: staged by npm run stage and running: npm run stage has not created it: run npm run stage')
      expect(lines[1]).toBe('FAIL startup-init: nodes Ready: not checked: startup-init is not staged')
      expect(lines.at(-1)).toBe('15 checks, 15 failed')
      expect(box.log().filter(call => !READ_ONLY_CALL.test(call))).toEqual([])
    })
  })

  describe('--reset', () => {
    it('puts d-cni-broken\'s latecomer back to crash-looping after a rehearsal repaired and recreated it', async () => {
      const box = sandbox(staged)
      await rehearse(box, 'startup-cni', 'd-cni-broken/06-repair-cni')
      await rehearse(box, 'startup-cni', 'd-cni-broken/07-recreate')
      box.clearLog()
      const result = await stage(box, ['--reset', 'd-cni-broken'])
      expect(result.exitCode, result.stderr).toBe(0)
      expect(box.log().filter(call => !READ_ONLY_CALL.test(call))).toEqual([
        // Its reset: steps first (06-repair-cni, 07-recreate), then the manifest, then the staged steps.
        'linkerd install-cni',
        'kubectl apply -f -',
        'kubectl delete pod -n demo -l app=latecomer',
        'kubectl delete --ignore-not-found --wait --cascade=foreground --timeout=120s -f snippets/apps/latecomer.yaml --context kind-startup-cni',
        'kubectl config use-context kind-startup-cni',
        'linkerd install-cni --dest-cni-net-dir /etc/cni/wrong.d',
        'kubectl apply -f -',
        'kubectl apply -f snippets/apps/latecomer.yaml',
        'kubectl wait -n demo pod -l app=latecomer --timeout=120s --for=jsonpath={.status.initContainerStatuses[0].state.waiting.reason}=CrashLoopBackOff',
      ])
      const lines = result.stdout.split('\n')
      expect(lines[0]).toBe('undoing what a rehearsal changed beyond the manifests (reset: in snippets/d-cni-broken/scenario.yaml): 06-repair-cni, 07-recreate')
      expect(lines[1]).toMatch(/^passed {2}d-cni-broken\/06-repair-cni \d+\.\ds$/)
      expect(lines[2]).toMatch(/^passed {2}d-cni-broken\/07-recreate \d+\.\ds$/)
      expect(lines[3]).toBe('deleted snippets/apps/latecomer.yaml')
      expect(lines.at(-1)).toBe('d-cni-broken is back at its starting state on startup-cni; npm run stage -- --check to confirm')
      // The reset: steps are not staged steps: never recorded.
      expect(Object.keys(box.state().staged).filter(id => id.startsWith('d-cni-broken/'))).toEqual([
        'd-cni-broken/01-use-context',
        'd-cni-broken/02-break-cni',
        'd-cni-broken/03-deploy-latecomer',
        'd-cni-broken/04-wait-failure',
      ])
      const check = await stage(box, ['--check'])
      expect(check.stdout).toContain('ok   d-cni-broken: ready for d-cni-broken/05-pods')
      expect(check.exitCode, check.stdout).toBe(0)
    })

    it('stops at a reset: step that fails, before deleting anything, exit 1, naming the step; --reset again once it is fixed', async () => {
      const box = sandbox(staged)
      const repair = join(box.root, 'snippets', 'd-cni-broken', '06-repair-cni.sh')
      const original = readFileSync(repair, 'utf8')
      // A repair that fails, as a typo in the step would: the stand-in linkerd refuses the command.
      writeFileSync(repair, original.replace('linkerd install-cni', 'linkerd install-cnii'))
      box.clearLog()
      const result = await stage(box, ['--reset', 'd-cni-broken'])
      expect(result.exitCode, result.stderr).toBe(1)
      expect(result.stdout).toMatch(/failed {2}d-cni-broken\/06-repair-cni \d+\.\ds: exited 1, expected 0/)
      expect(result.stdout).toContain('  what it printed:\n')
      expect(result.stdout).toContain('    stand-in linkerd: unsupported: install-cnii')
      expect(result.stdout.trim().split('\n').at(-1)).toBe('stopped at d-cni-broken/06-repair-cni, one of d-cni-broken\'s reset: steps (nothing was deleted yet): fix what it says, then npm run stage -- --reset d-cni-broken again')
      // Neither the next reset: step, nor the manifest, nor the staged steps.
      expect(box.log().filter(call => !READ_ONLY_CALL.test(call))).toEqual([
        'linkerd install-cnii',
        'kubectl apply -f -',
      ])
      // The scenario is no longer at its starting state: --check says so until a reset passes.
      expect(Object.keys(box.state().staged).some(id => id.startsWith('d-cni-broken/'))).toBe(false)

      writeFileSync(repair, original)
      const again = await stage(box, ['--reset', 'd-cni-broken'])
      expect(again.exitCode, again.stdout).toBe(0)
      expect((await stage(box, ['--check'])).exitCode).toBe(0)
    })

    it('on SIGINT during a reset: step: stops it, deletes nothing, exits 130', async () => {
      const box = sandbox(staged)
      // A reset: step that waits (here on linkerd check, which the flag makes hang).
      writeFileSync(join(box.root, 'snippets', 'd-cni-broken', '06-repair-cni.sh'), '#!/usr/bin/env bash\n# Repair, and wait for it.\nlinkerd check\n')
      flag(box, 'stand-in-linkerd-check-hangs')
      box.clearLog()
      const run = stage(box, ['--reset', 'd-cni-broken'])
      const marker = join(box.home, 'stand-in-linkerd-check-started')
      for (let waited = 0; !existsSync(marker) && waited < 30_000; waited += 100)
        await new Promise(resolve => setTimeout(resolve, 100))
      run.kill('SIGINT')
      const result = await run
      expect(result.exitCode, result.stdout).toBe(130)
      expect(result.stdout).toMatch(/failed {2}d-cni-broken\/06-repair-cni \d+\.\ds: stopped: interrupted while running/)
      expect(result.stdout.trim().split('\n').at(-1)).toBe('interrupted at d-cni-broken/06-repair-cni, before anything was deleted: d-cni-broken is partly undone; npm run stage -- --reset d-cni-broken runs its reset: steps again')
      expect(box.log().filter(call => !READ_ONLY_CALL.test(call))).toEqual([])
    })

    it('refuses, with exit 2 and nothing changed, an unknown scenario and one whose cluster is not staged', async () => {
      const box = sandbox()
      // The other refusals (no staged steps, a scenario that creates its cluster) take the same path: see planReset's tests.
      for (const [name, message] of [
        ['d-broken', '--reset: unknown scenario "d-broken" (scenarios that can be reset: a-default-install, f-cni-init-container, d-cni-broken); nothing was changed'],
        ['d-cni-broken', '--reset: startup-cni is not staged yet (npm run stage has not created it): run npm run stage first; nothing was changed'],
      ]) {
        const result = await stage(box, ['--reset', name!])
        expect(result.exitCode).toBe(2)
        expect(result.stderr).toBe(message)
      }
      expect(box.log()).toEqual([])
      expect(existsSync(join(box.root, '.talk'))).toBe(false)
    })

    it('refuses a recorded cluster that kind no longer has', async () => {
      const box = sandbox(staged)
      rmSync(join(box.home, 'stand-in-clusters', 'startup-cni'))
      const result = await stage(box, ['--reset', 'd-cni-broken'])
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toBe('--reset: startup-cni is recorded in .talk/state.json, but kind has no such cluster: run npm run stage to stage it again; nothing was changed')
    })
  })

  describe('--down', () => {
    it('deletes the clusters staging created, with their contexts and kubeconfigs, and clears the state', async () => {
      const box = sandbox(staged)
      writeFileSync(join(box.home, 'stand-in-clusters', 'other'), '')
      box.clearLog()
      const result = await stage(box, ['--down'])
      expect(result.exitCode, result.stderr).toBe(0)
      expect(result.stdout.split('\n')).toEqual([
        'deleted startup-init (kind removed its context kind-startup-init from your kubeconfig)',
        'deleted startup-cni (kind removed its context kind-startup-cni from your kubeconfig)',
      ])
      expect(box.log().filter(call => !READ_ONLY_CALL.test(call))).toEqual([
        'kind delete cluster --name startup-init',
        'kind delete cluster --name startup-cni',
      ])
      expect(box.clusters()).toEqual(['other'])
      expect(box.contexts()).toEqual(['prod'])
      expect(box.state()).toEqual({ clusters: {}, staged: {} })
      expect(readdirSync(join(box.root, '.talk', 'kubeconfig'))).toEqual([])
    })

    it('leaves alone a cluster of a talk cluster\'s name that it did not create', async () => {
      const box = sandbox()
      mkdirSync(join(box.home, 'stand-in-clusters'))
      writeFileSync(join(box.home, 'stand-in-clusters', 'startup-cni'), '')
      const result = await stage(box, ['--down'])
      expect(result.exitCode).toBe(0)
      expect(result.stdout.split('\n')).toEqual([
        'left startup-cni alone: npm run stage did not create it',
        'nothing to delete: npm run stage has no cluster recorded in .talk/state.json',
      ])
      expect(box.clusters()).toEqual(['startup-cni'])
      expect(box.log().filter(call => !READ_ONLY_CALL.test(call))).toEqual([])
    })
  })

  it('refuses bad usage with exit 2, before reading anything', async () => {
    const box = sandbox()
    const result = await stage(box, ['--check', '--down'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toBe(`--check and --down can't be combined: one at a time\n${STAGE_USAGE}`)
    expect(box.log()).toEqual([])
  })
})

describe('the command line', () => {
  const parsed = (...argv: string[]) => parseStageArgs(argv, '/here')
  const usageError = (...argv: string[]): string[] => {
    const args = parseStageArgs(argv, '/here')
    return 'error' in args ? args.error.split('\n') : []
  }

  it('takes one mode at a time, and --root', () => {
    expect(parsed()).toEqual({ mode: 'stage', root: '/here' })
    expect(parsed('--check', '--root', '/x')).toEqual({ mode: 'check', root: '/x' })
    expect(parsed('--down', '--root', 'talk')).toEqual({ mode: 'down', root: '/here/talk' })
    expect(parsed('--reset', 'd-cni-broken')).toEqual({ mode: 'reset', scenario: 'd-cni-broken', root: '/here' })
    expect(parsed('--down')).toEqual({ mode: 'down', root: '/here' })
  })

  it('refuses an unknown option, a positional, two modes at once and --reset without a scenario, with the usage', () => {
    expect(usageError('--bogus')[0]).toMatch(/^Unknown option '--bogus'/)
    expect(usageError('d-cni-broken')[0]).toMatch(/^Unexpected argument 'd-cni-broken'/)
    expect(usageError('--reset', 'g-job', '--check')[0]).toBe('--check and --reset can\'t be combined: one at a time')
    expect(usageError('--reset')[0]).toMatch(/^Option '--reset <value>' argument missing/)
    for (const argv of [['--bogus'], ['x'], ['--down', '--check'], ['--reset']])
      expect(usageError(...argv).at(-1), argv.join(' ')).toBe(STAGE_USAGE)
  })
})

describe('the live check pulls the node image before creating a cluster', { timeout: 30_000 }, () => {
  it('pulls it once, before kind create, and notes it in the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'live-node-image-'))
    cpSync(liveFixture, join(dir, 'root'), { recursive: true })
    mkdirSync(join(dir, 'home'))
    const result = await execa('node', [
      '--import',
      'tsx',
      'scripts/check-snippets.ts',
      '--root',
      join(dir, 'root'),
      '--live',
      '--scenario',
      'one',
      '--report-dir',
      join(dir, 'report'),
    ], {
      cwd: repo,
      preferLocal: true,
      reject: false,
      extendEnv: false,
      env: {
        HOME: join(dir, 'home'),
        PATH: `${standIns}:${process.env.PATH}`,
      },
    })
    expect(result.exitCode, result.stderr).toBe(0)
    const calls = readFileSync(join(dir, 'home', 'stand-in.log'), 'utf8').split('\n')
    const pull = calls.indexOf('docker pull kindest/node:v1.35.0')
    expect(pull).toBeGreaterThan(-1)
    expect(pull).toBeLessThan(calls.findIndex(call => call.startsWith('kind create cluster')))
    const notes: string[] = JSON.parse(readFileSync(join(dir, 'report', 'report.json'), 'utf8')).notes
    expect(notes[0]).toMatch(/^snippets-demo-[0-9a-f]{6}: pulled kindest\/node:v1\.35\.0 before creating the cluster$/)
  })
})
