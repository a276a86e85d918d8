import type { ClusterHandle, Diagnostics } from './cluster-lifecycle'
import type { Probe } from './prerequisites'
import type { ScenarioRun } from './report'
import type { StepResult } from './run-step'
import type { Scenario } from './scenarios'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { parseVerificationReport } from '../../model/live-verification'
import { ClusterLifecycle, ContextSafetyError, pulledDigests, pullNodeImage } from './cluster-lifecycle'
import { prerequisiteProblems, systemProbe } from './prerequisites'
import { summarize, updatedVerification, writeReports } from './report'
import { refusedStep, renameClusters, runStep } from './run-step'
import { chainFor } from './scenarios'

// --live: each group of scenarios that share a cluster runs, in dependency order, on a kind
// cluster of its own; groups run side by side with --parallel. Exit status: 0 every step
// passed, 1 a step failed, 3 a prerequisite is missing, 130/143 interrupted (SIGINT/SIGTERM).

export interface LiveOptions {
  root: string
  scenarios: Scenario[]
  pins: Record<string, string>
  wanted: string[]
  keep: boolean
  parallel: number
  reportDir: string
  probe?: Probe
  log?: (line: string) => void
}

interface Group {
  cluster: string
  chain: Scenario[]
}

export function groupsFor(scenarios: readonly Scenario[], wanted: readonly string[]): Group[] {
  const byCluster = new Map<string, string[]>()
  for (const name of wanted) {
    const scenario = scenarios.find(s => s.name === name)
    if (!scenario?.live || !scenario.cluster)
      continue
    byCluster.set(scenario.cluster, [
      ...byCluster.get(scenario.cluster) ?? [],
      name,
    ])
  }
  return [...byCluster].map(([cluster, names]) => ({
    cluster,
    chain: chainFor(scenarios, names),
  }))
}

/** How the Docker CLI (and so kind) finds its engine: a rootless socket, a remote engine, a context. */
const DOCKER_CONNECTION = [
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_CONFIG',
  'DOCKER_CERT_PATH',
  'DOCKER_TLS_VERIFY',
] as const

/** The caller's environment, cut down to what kind, kubectl and docker need to run at all. */
export function toolEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept: Record<string, string> = {
    PATH: env.PATH ?? '/usr/bin:/bin',
    HOME: env.HOME ?? '/tmp',
  }
  for (const name of DOCKER_CONNECTION) {
    const value = env[name]
    if (value !== undefined)
      kept[name] = value
  }
  return kept
}

function stepEnv(pins: Readonly<Record<string, string>>, handle: ClusterHandle): Record<string, string> {
  return {
    ...toolEnv(process.env),
    LANG: 'C.UTF-8',
    ...pins,
    KUBECONFIG: handle.kubeconfig,
  }
}

async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items]
  const workers = Array.from({
    length: Math.min(limit, queue.length),
  }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift())
      await work(item)
  })
  await Promise.all(workers)
}

/**
 * Images pulled once into the local Docker and loaded into each cluster: the demo apps, and
 * Linkerd's own two (the 2.20 chart runs the proxy and linkerd-init from the proxy image, and
 * destination, identity, injector and policy controller from the controller image, both tagged
 * linkerdVersion: charts/linkerd-control-plane/values.yaml and templates/destination.yaml).
 */
export function preloadedImages(pins: Readonly<Record<string, string>>): string[] {
  const linkerd = pins.LINKERD_VERSION
    ? [`cr.l5d.io/linkerd/proxy:${pins.LINKERD_VERSION}`, `cr.l5d.io/linkerd/controller:${pins.LINKERD_VERSION}`]
    : []
  // linkerd install-cni's DaemonSet image, at its own pinned version.
  if (pins.LINKERD_CNI_VERSION)
    linkerd.push(`cr.l5d.io/linkerd/cni-plugin:${pins.LINKERD_CNI_VERSION}`)
  return [pins.HTTP_ECHO_IMAGE, pins.CURL_IMAGE, ...linkerd].filter((image): image is string => !!image)
}

export async function runLiveCheck(options: LiveOptions): Promise<number> {
  const log = options.log ?? ((line: string) => console.log(line))
  const missing = await prerequisiteProblems(options.probe ?? systemProbe, options.pins, options.parallel)
  if (missing.length > 0) {
    for (const problem of missing)
      console.error(`missing: ${problem}`)
    return 3
  }

  const startedAt = new Date()
  const lifecycle = new ClusterLifecycle({
    env: toolEnv(process.env),
  })
  log(`private kubeconfigs in ${lifecycle.workDir}`)
  const abort = new AbortController()
  let interrupted: NodeJS.Signals | undefined
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted)
      return
    interrupted = signal
    log(`${signal}: stopping the running step, then deleting the clusters this run created`)
    abort.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  const runs: ScenarioRun[] = []
  const diagnostics: Record<string, Diagnostics> = {}
  const notes: string[] = []
  const images = preloadedImages(options.pins)

  const runGroup = async (group: Group) => {
    const handle = lifecycle.reserve(group.cluster)
    const names = new Map([
      [group.cluster, handle.unique],
    ])
    log(`cluster ${group.cluster} → ${handle.unique}: ${group.chain.map(s => s.name).join(', ')}`)
    let stopped: string | undefined
    for (const scenario of group.chain) {
      const run: ScenarioRun = {
        scenario: scenario.name,
        cluster: group.cluster,
        uniqueCluster: handle.unique,
        steps: [],
      }
      runs.push(run)
      for (const step of scenario.steps) {
        const halt = stopped ?? (interrupted
          ? `interrupted by ${interrupted}`
          : undefined)
        if (halt) {
          run.steps.push({
            id: step.id,
            status: 'skipped',
            durationMs: 0,
            attempts: 0,
            output: '',
            reason: `not run: ${halt}`,
          })
          continue
        }
        let result: StepResult
        try {
          if (step.live)
            lifecycle.assertStepStaysInside(handle, renameClusters(readFileSync(step.script, 'utf8'), names))
          if (step.createsCluster && step.live) {
            if (options.pins.KIND_NODE_IMAGE) {
              const note = `${handle.unique}: ${await pullNodeImage(options.pins.KIND_NODE_IMAGE, toolEnv(process.env), abort.signal)}`
              notes.push(note)
              log(note)
            }
            handle.mayExist = true
          }
          result = await runStep(step, {
            cwd: options.root,
            env: stepEnv(options.pins, handle),
            clusterNames: names,
            signal: abort.signal,
          })
          if (result.status === 'passed' && step.createsCluster) {
            lifecycle.verifyCreated(handle)
            notes.push(...(await lifecycle.preloadImages(handle, images)).map(note => `${handle.unique}: ${note}`))
          }
        }
        catch (error) {
          if (!(error instanceof ContextSafetyError))
            throw error
          result = refusedStep(step.id, error.message)
        }
        if (interrupted && result.status === 'failed')
          result = { ...result, status: 'skipped', reason: `interrupted by ${interrupted} while running` }
        run.steps.push(result)
        log(`${result.status.padEnd(7)} ${step.id}${result.attempts > 1
          ? ` (${result.attempts} attempts)`
          : ''} ${(result.durationMs / 1000).toFixed(1)}s${result.reason
          ? `: ${result.reason}`
          : ''}`)
        if (result.status === 'failed') {
          stopped = `${step.id} failed`
          if (result.diff)
            log(result.diff)
          diagnostics[handle.unique] = await lifecycle.diagnostics(handle)
        }
      }
    }
  }

  try {
    await pool(groupsFor(options.scenarios, options.wanted), options.parallel, runGroup)
  }
  finally {
    if (options.keep) {
      for (const handle of lifecycle.handles.filter(h => h.mayExist))
        log(`kept ${handle.unique}: KUBECONFIG=${handle.kubeconfig} kubectl get pods -A; delete with: kind delete cluster --name ${handle.unique}`)
    }
    else {
      const failures = await lifecycle.deleteAll()
      for (const failure of failures)
        console.error(`cleanup: ${failure}`)
      if (failures.length === 0)
        log(`deleted ${lifecycle.handles.filter(h => h.mayExist).map(h => h.unique).join(', ') || 'no clusters (none was created)'}`)
    }
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }

  // The images pinned by tag, not digest (versions.env says why): the digest each resolved to.
  const imageDigests = await pulledDigests(images, toolEnv(process.env))
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    ...(interrupted
      ? { interrupted }
      : {}),
    pins: options.pins,
    imageDigests,
    runs,
    diagnostics,
    notes,
    summary: summarize(runs),
  }
  const written = writeReports(resolve(options.root, options.reportDir), report)
  log(`report: ${written.json}, ${written.junit}`)

  const recordFile = join(options.root, 'snippets', 'verified-live.json')
  if (existsSync(recordFile)) {
    const stored = JSON.parse(readFileSync(recordFile, 'utf8')) as { about?: string }
    const previous = parseVerificationReport(stored)
    const next = updatedVerification(previous, report, startedAt.toISOString().slice(0, 10))
    if (next !== previous) {
      writeFileSync(recordFile, `${JSON.stringify({ about: stored.about, ...next }, null, 2)}\n`)
      log(`recorded ${next.scenarios.map(s => s.scenario).join(', ')} in snippets/verified-live.json: commit it`)
    }
  }

  log(`${report.summary.passed} passed, ${report.summary.failed} failed, ${report.summary.skipped} skipped`)
  if (interrupted) {
    return interrupted === 'SIGINT'
      ? 130
      : 143
  }
  return report.summary.failed > 0
    ? 1
    : 0
}
