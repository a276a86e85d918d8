import type { StepSpec } from '../../scripts/snippet-check/scenarios'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareOutput } from '../../scripts/snippet-check/compare-output'
import { kubeadmPatchProblems, parseGoDuration } from '../../scripts/snippet-check/kind-cluster-schema'
import { kindPatchProblems, readManifests } from '../../scripts/snippet-check/manifests'
import { runStep } from '../../scripts/snippet-check/run-step'
import { ON_STAGE_LIMIT_SECONDS, readScenario, readScenarios } from '../../scripts/snippet-check/scenarios'
import { readPins } from '../../scripts/snippet-check/static-checks'
import { readFailure, scenarioFolder } from './scenario-folder'

// What a step may print for reasons outside the cluster (scenario.yaml `alternatives`), and the
// cluster facts the hands-on part now relies on: the kubelet's capped crash-loop back-off and
// steps that read a crash-looping pod.

const repo = join(import.meta.dirname, '..', '..')

/** A scenario `demo` with one step `01-hello` (printing `body`) and the given extra files. */
function scenarioIn(yaml: string, files: Record<string, string>): string {
  return scenarioFolder(`# Demo\ncluster: demo\nsteps:\n  - step: 01-hello\n    on-stage: 1s\n${yaml}`, {
    '01-hello.sh': '#!/usr/bin/env bash\n# Say hello.\necho hello\n',
    ...files,
  })
}

const OFFLINE = '    alternatives:\n      offline: the greeting server is unreachable\n'

describe('scenario.yaml alternatives', () => {
  it('reads each alternative with its reason and its NN-name.<name>.out', () => {
    const root = scenarioIn(OFFLINE, { '01-hello.out': 'hello\n', '01-hello.offline.out': 'goodbye {{hash}}\n' })
    const [step] = readScenario(root, 'demo').steps
    expect(step!.alternatives).toEqual([
      {
        name: 'offline',
        reason: 'the greeting server is unreachable',
        path: join(root, 'snippets', 'demo', '01-hello.offline.out'),
      },
    ])
  })

  it('refuses an alternative without a reason, one named like an exit status, and one on a step with nothing to compare', () => {
    expect(readFailure(scenarioIn('    alternatives:\n      offline: ""\n', { '01-hello.out': 'hello\n', '01-hello.offline.out': 'bye\n' })))
      .toBe('snippets/demo/scenario.yaml:7: alternative "offline" of step 01-hello needs a reason: why the step may print it instead of its .out')
    expect(readFailure(scenarioIn('    alternatives:\n      exit1: it failed\n', { '01-hello.out': 'hello\n', '01-hello.exit1.out': 'bye\n' })))
      .toBe('snippets/demo/scenario.yaml:7: alternative name "exit1" must be lower-case letters, digits and dashes, and not exit<N> (that is an exit status\'s outcome)')
    expect(readFailure(scenarioIn(OFFLINE, { '01-hello.offline.out': 'bye\n' })))
      .toBe('snippets/demo/scenario.yaml:7: step 01-hello lists alternatives to its expected output, so it needs a .out to compare')
    expect(readFailure(scenarioIn('    alternatives: [offline]\n', { '01-hello.out': 'hello\n' })))
      .toBe('snippets/demo/scenario.yaml:6: alternatives must be a mapping of name: reason, e.g. {offline: no route to versioncheck.linkerd.io}')
  })

  it('refuses an alternative that uses a placeholder nobody defined, at its own file and line', () => {
    expect(readFailure(scenarioIn(OFFLINE, { '01-hello.out': 'hello\n', '01-hello.offline.out': 'bye\nerror={{neterror}}\n' })))
      .toBe('snippets/demo/01-hello.offline.out:2: unknown placeholder {{neterror}}; known: hash, age, duration, restarts, timestamp, latest-edge, os-arch, digest, curl-error, net-error')
    expect(readFailure(scenarioIn(`    compare: exact\n${OFFLINE}`, { '01-hello.out': 'hello\n', '01-hello.offline.out': 'bye {{hash}}\n' })))
      .toBe('snippets/demo/scenario.yaml:8: step 01-hello: compare: exact, but snippets/demo/01-hello.offline.out has {{placeholders}}; use pattern')
  })

  it('refuses an NN-name.<x>.out that no exit status or alternative reads', () => {
    expect(readFailure(scenarioIn('', { '01-hello.out': 'hello\n', '01-hello.exit3.out': 'bye\n' })))
      .toBe('snippets/demo/scenario.yaml:4: 01-hello.exit3.out is not read: step 01-hello does not allow exit 3')
  })
})

describe('judging a step with alternatives', () => {
  const stepOf = (root: string, body: string): StepSpec => {
    const step = readScenario(root, 'demo').steps[0]!
    writeFileSync(step.script, `#!/usr/bin/env bash\n# probe\n${body}\n`)
    return step
  }
  const run = async (root: string, body: string) => runStep(stepOf(root, body), {
    cwd: root,
    env: { PATH: process.env.PATH! },
    clusterNames: new Map(),
  })
  const root = scenarioIn(`    exit: [0, 3]\n${OFFLINE}`, {
    '01-hello.out': 'hello {{hash}}\n',
    '01-hello.offline.out': 'goodbye: {{net-error}}\n',
    '01-hello.exit3.out': 'no greeting\n',
  })

  it('passes on the .out, naming no alternative', async () => {
    const result = await run(root, 'echo hello 5f7c9')
    expect(result.status).toBe('passed')
    expect(result.alternative).toBeUndefined()
    expect(result.reason).toBeUndefined()
  })

  it('passes on an alternative, and says which and why', async () => {
    const result = await run(root, 'echo "goodbye: dial tcp: lookup greeting: no such host"')
    expect(result.status).toBe('passed')
    expect(result.alternative).toBe('offline')
    expect(result.reason).toBe('printed the "offline" alternative: the greeting server is unreachable')
  })

  it('fails an output that matches neither, with the diff against the .out', async () => {
    const result = await run(root, 'echo "segmentation fault"')
    expect(result.status).toBe('failed')
    expect(result.reason).toBe('output differs from the .out file and from its alternatives (offline)')
    expect(result.diff).toContain('-hello {{hash}}')
    expect(result.diff).toContain('+segmentation fault')
  })

  it('does not take an alternative of the first exit status for another status', async () => {
    const result = await run(root, 'echo "goodbye: refused"; exit 3')
    expect(result.status).toBe('failed')
    expect(result.reason).toBe('output differs from the .out file')
    expect((await run(root, 'echo "no greeting"; exit 3')).status).toBe('passed')
  })
})

describe('the hands-on outputs that depend on the network outside the cluster', () => {
  const read = (path: string) => readFileSync(join(repo, 'snippets', path), 'utf8')
  const matches = (file: string, actual: string) => compareOutput(read(file), actual, 'pattern', file).matches
  const scenarios = readScenarios(repo)
  const step = (id: string) => scenarios.flatMap(s => s.steps).find(s => s.id === id)!

  const checkPre = (error: string) => [
    'linkerd-version',
    '---------------',
    '‼ can determine the latest version',
    `    ${error}`,
    '    see https://linkerd.io/2/checks/#l5d-version-latest for hints',
    '‼ cli is up-to-date',
    '    unable to determine version channel',
    '    see https://linkerd.io/2/checks/#l5d-version-cli for hints',
    '',
    'Status check results are √',
  ].join('\n')

  it('linkerd check --pre without versioncheck.linkerd.io: the offline alternative, not the .out', () => {
    const url = 'https://versioncheck.linkerd.io/version.json?version=edge-26.6.3&uuid=unknown&source=cli'
    for (const id of ['setup/06-check-pre', 'c-cni-install/05-check-pre']) {
      expect(step(id).alternatives.map(a => a.name), id).toEqual(['offline'])
      for (const error of [`failed to resolve version check server: ${url}`, `Get "${url}": dial tcp 104.21.0.1:443: connect: network is unreachable`, `Get "${url}": context deadline exceeded`]) {
        expect(matches(`${id}.offline.out`, checkPre(error)), error).toBe(true)
        expect(matches(`${id}.out`, checkPre(error)), error).toBe(false)
      }
    }
  })

  it('the validator\'s log: a dropped SYN matches the .out, a refused or unreachable one the rejected alternative', () => {
    const head = [
      '2026-07-01T10:00:00.000000Z  INFO linkerd_network_validator: Listening for connections on 0.0.0.0:4140',
      '2026-07-01T10:00:00.000100Z  INFO linkerd_network_validator: Connecting to 1.1.1.1:20001',
    ]
    const timedOut = [...head, '2026-07-01T10:00:10.000200Z ERROR linkerd_network_validator: Failed to validate networking configuration. Please ensure traffic redirection rules are rewriting traffic as expected. timeout=10s'].join('\n')
    expect(matches('d-cni-broken/11-validator-log.out', timedOut)).toBe(true)
    expect(step('d-cni-broken/11-validator-log').alternatives.map(a => a.name)).toEqual(['rejected'])
    for (const error of ['Connection refused (os error 111)', 'No route to host (os error 113)', 'Network is unreachable (os error 101)']) {
      const rejected = [
        ...head,
        `2026-07-01T10:00:00.000300Z ERROR linkerd_network_validator: Unable to connect to validator. Please ensure iptables rules are rewriting traffic as expected error=${error}`,
        `2026-07-01T10:00:00.000400Z ERROR linkerd_network_validator: error=${error}`,
      ].join('\n')
      expect(matches('d-cni-broken/11-validator-log.rejected.out', rejected), error).toBe(true)
      expect(matches('d-cni-broken/11-validator-log.out', rejected), error).toBe(false)
    }
  })
})

describe('steps that read a crash-looping pod', () => {
  const scenarios = readScenarios(repo)
  const step = (id: string) => scenarios.flatMap(s => s.steps).find(s => s.id === id)!

  it('poll until the pod waits in back-off, and even at worst stay within the time a room should wait', () => {
    for (const id of [
      'd-cni-broken/08-pods',
      'd-cni-broken/12-control-plane',
      'd-cni-broken/17-still-failing',
      'f-cni-init-container/05-pods',
    ]) {
      const { poll, onStageSeconds } = step(id)
      expect(poll, id).toBeDefined()
      expect(poll!.deadlineSeconds + poll!.everySeconds, id).toBeLessThanOrEqual(ON_STAGE_LIMIT_SECONDS)
      expect(onStageSeconds, id).toBeLessThanOrEqual(ON_STAGE_LIMIT_SECONDS)
    }
  })

  it('the next validator run after the repair fits a 10 s run plus a 10 s back-off and its requeue jitter', () => {
    const next = step('d-cni-broken/16-next-attempt')
    expect(readFileSync(next.script, 'utf8')).toContain('--timeout=45s')
    expect(next.timeoutSeconds).toBeGreaterThan(45)
    expect(next.onStageSeconds).toBeLessThanOrEqual(ON_STAGE_LIMIT_SECONDS)
  })

  it('recreate waits for the Deployment to be Available, which a passed progress deadline does not block', () => {
    const recreate = readFileSync(step('d-cni-broken/18-recreate').script, 'utf8')
    expect(recreate).toContain('--for=condition=Available')
    expect(recreate).not.toContain('rollout status')
    // The stuck control-plane pod goes too: the only pod still Pending in the linkerd namespace.
    expect(recreate).toContain('kubectl delete pod -n linkerd --field-selector=status.phase=Pending')
  })

  it('the destination rollout is awaited by its Progressing reason: Available was true all along (the old pod)', () => {
    const wait = step('d-cni-broken/19-wait-destination')
    expect(wait.hidden).toBe(true)
    expect(readFileSync(wait.script, 'utf8')).toContain('{.status.conditions[?(@.type=="Progressing")].reason}\'=NewReplicaSetAvailable')
    // Once that reason is set, rollout status answers at once, even after a passed progress deadline.
    expect(readFileSync(step('d-cni-broken/20-pods').script, 'utf8')).toMatch(/rollout status deployment\/linkerd-destination -n linkerd --timeout=\d+s/)
  })

  it('restarts the destination controller on stage, not staged: a stuck control-plane pod fails linkerd check, which stage --check runs', () => {
    const d = readScenario(repo, 'd-cni-broken')
    const restart = step('d-cni-broken/07-restart-destination')
    expect(restart.staged).toBe(false)
    expect(restart.hidden).toBe(true)
    expect(restart.expectedOutput).toBeUndefined()
    // It rides with the first shown step, minutes before 12-control-plane looks at the new pod.
    const firstShown = d.steps.find(s => !s.staged && !s.hidden)!
    expect(firstShown.name).toBe('08-pods')
    expect(d.steps.indexOf(d.steps.find(s => s.name === '07-restart-destination')!)).toBe(d.steps.indexOf(firstShown) - 1)
  })

  it('kubectl logs without -c fails on a pod stuck in init: the app container is waiting (PodInitializing)', () => {
    const logs = step('d-cni-broken/10-logs-default')
    expect(logs.exit).toEqual([1])
    expect(readFileSync(logs.script, 'utf8')).not.toContain(' -c ')
    const printed = [
      'Defaulted container "server" out of: server, linkerd-network-validator (init), linkerd-proxy (init)',
      'Error from server (BadRequest): container "server" in pod "latecomer-5d4f7b9c8-x2x9q" is waiting to start: PodInitializing',
    ].join('\n')
    expect(compareOutput(readFileSync(logs.expectedOutput!, 'utf8'), printed, 'pattern').matches).toBe(true)
    // A pod whose init containers are done answers with the app's log instead: no match.
    expect(compareOutput(readFileSync(logs.expectedOutput!, 'utf8'), 'hello', 'pattern').matches).toBe(false)
  })
})

describe('the kubelet\'s crash-loop back-off cap in kind/cluster.yaml', () => {
  it('reads Go durations as the kubelet does', () => {
    expect(parseGoDuration('10s')).toBe(10)
    expect(parseGoDuration('1m30s')).toBe(90)
    expect(parseGoDuration('1.5s')).toBe(1.5)
    expect(parseGoDuration('300ms')).toBeCloseTo(0.3)
    for (const bad of ['10', 'ten seconds', '', '10 s', 's'])
      expect(parseGoDuration(bad), bad).toBeUndefined()
  })

  it('the real cluster config caps it at 10 s, and the pinned node image has the gate on', () => {
    const docs = readManifests(repo, join(repo, 'snippets', 'kind', 'cluster.yaml'))
    expect(docs.flatMap(doc => kindPatchProblems(doc, readPins(repo)))).toEqual([])
    const patches = docs[0]!.value.kubeadmConfigPatches as string[]
    expect(patches.some(patch => /kind: KubeletConfiguration\n\s*crashLoopBackOff:\n\s*maxContainerRestartPeriod: 10s/.test(patch))).toBe(true)
  })

  it('refuses what kind would drop and what the kubelet would refuse, on the patch\'s own line', () => {
    const on = { kubernetesVersion: 'v1.35.0' }
    expect(kubeadmPatchProblems('kind: KubeletConfig\n', on)).toEqual([
      { line: 1, message: 'kubeadmConfigPatches: kind KubeletConfig matches no document kind v0.31.0 generates (ClusterConfiguration, InitConfiguration, JoinConfiguration, KubeletConfiguration, KubeProxyConfiguration), so kind would silently apply it to nothing' },
    ])
    expect(kubeadmPatchProblems('kind: KubeletConfiguration\napiVersion: kubelet.config.k8s.io/v1\n', on)[0]!.line).toBe(2)
    expect(kubeadmPatchProblems('kind: KubeletConfiguration\ncrashLoopBackOff:\n  maxContainerRestartPeriod: 500ms\n  initial: 1s\n', on)).toEqual([
      { line: 3, message: 'KubeletConfiguration crashLoopBackOff.maxContainerRestartPeriod must be between 1s and 300s, got 500ms' },
      { line: 4, message: 'KubeletConfiguration crashLoopBackOff: unknown field "initial" (known: maxContainerRestartPeriod)' },
    ])
    const patch = 'kind: KubeletConfiguration\ncrashLoopBackOff:\n  maxContainerRestartPeriod: 10s\n'
    expect(kubeadmPatchProblems(patch, on)).toEqual([])
    expect(kubeadmPatchProblems(patch, { kubernetesVersion: 'v1.34.3' })[0]!.message).toContain('needs the KubeletCrashLoopBackOffMax feature gate')
    expect(kubeadmPatchProblems(patch, {
      kubernetesVersion: 'v1.34.3',
      featureGates: { KubeletCrashLoopBackOffMax: true },
    })).toEqual([])
    expect(kubeadmPatchProblems(patch, {
      kubernetesVersion: 'v1.35.0',
      featureGates: { KubeletCrashLoopBackOffMax: false },
    })).toHaveLength(1)
  })
})
