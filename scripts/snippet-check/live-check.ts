import type { Interruption } from '../core/cli'
import type { ClusterHandle } from './cluster-lifecycle'
import type { Probe } from './prerequisites'
import type { LiveReport, ScenarioRun } from './report'
import type { StepResult } from './run-step'
import type { Scenario, StepSpec } from './scenarios'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { parseVerificationReport } from '../../model/live-verification'
import { stopExitCode, watchInterruption } from '../core/cli'
import { ClusterLifecycle, ContextSafetyError, pulledDigests, pullNodeImage } from './cluster-lifecycle'
import { prerequisiteProblems, systemProbe } from './prerequisites'
import { summarize, updatedVerification, writeReports } from './report'
import { refusedStep, renameClusters, runStep } from './run-step'
import { chainFor } from './scenarios'

// --live: each group of scenarios that share a cluster runs, in dependency order, on a kind
// cluster of its own; groups run side by side with --parallel. Exit status: 0 every step
// passed, 1 a step failed, 3 a prerequisite is missing, 130/143 interrupted (SIGINT/SIGTERM:
// the running step stops, the clusters are deleted, the report says `interrupted`).

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
    byCluster.set(scenario.cluster, [...byCluster.get(scenario.cluster) ?? [], name])
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

/** One run's shared state: its clusters, the interruption, and the report it rewrites as it goes. */
interface LiveRun {
  options: LiveOptions
  log: (line: string) => void
  lifecycle: ClusterLifecycle
  interruption: Interruption
  images: string[]
  report: LiveReport
  reportDir: string
}

/** The reports as they stand; after every step, so a run killed mid-way still leaves what it saw. */
function saveReport(run: LiveRun): void {
  run.report.summary = summarize(run.report.runs)
  writeReports(run.reportDir, run.report)
}

function skippedStep(id: string, why: string): StepResult {
  return {
    id,
    status: 'skipped',
    durationMs: 0,
    attempts: 0,
    output: '',
    reason: `not run: ${why}`,
  }
}

function stepLine(id: string, result: StepResult): string {
  const attempts = result.attempts > 1 ? ` (${result.attempts} attempts)` : ''
  const reason = result.reason ? `: ${result.reason}` : ''
  return `${result.status.padEnd(7)} ${id}${attempts} ${(result.durationMs / 1000).toFixed(1)}s${reason}`
}

/**
 * One step on its group's cluster: refused if its text could reach another cluster; a step that
 * creates the cluster first pulls the pinned node image, and once it passed, the cluster is
 * checked to be the one this run named and gets the demo images preloaded.
 */
async function runClusterStep(run: LiveRun, step: StepSpec, handle: ClusterHandle, names: ReadonlyMap<string, string>): Promise<StepResult> {
  const { options, lifecycle, interruption } = run
  try {
    if (step.live)
      lifecycle.assertStepStaysInside(handle, renameClusters(readFileSync(step.script, 'utf8'), names))
    if (step.createsCluster && step.live) {
      if (options.pins.KIND_NODE_IMAGE) {
        const note = `${handle.unique}: ${await pullNodeImage(options.pins.KIND_NODE_IMAGE, toolEnv(process.env), interruption.signal)}`
        run.report.notes.push(note)
        run.log(note)
      }
      handle.mayExist = true
    }
    const result = await runStep(step, {
      cwd: options.root,
      env: stepEnv(options.pins, handle),
      clusterNames: names,
      signal: interruption.signal,
    })
    if (result.status === 'passed' && step.createsCluster) {
      lifecycle.verifyCreated(handle)
      run.report.notes.push(...(await lifecycle.preloadImages(handle, run.images)).map(note => `${handle.unique}: ${note}`))
    }
    return result
  }
  catch (error) {
    if (!(error instanceof ContextSafetyError))
      throw error
    return refusedStep(step.id, error.message)
  }
}

/** A group's scenarios in order on one cluster; after a failure (or a signal) the rest is skipped, not run. */
async function runGroup(run: LiveRun, group: Group): Promise<void> {
  const handle = run.lifecycle.reserve(group.cluster)
  const names = new Map([[group.cluster, handle.unique]])
  run.log(`cluster ${group.cluster} → ${handle.unique}: ${group.chain.map(s => s.name).join(', ')}`)
  let stopped: string | undefined
  for (const scenario of group.chain) {
    const scenarioRun: ScenarioRun = {
      scenario: scenario.name,
      cluster: group.cluster,
      uniqueCluster: handle.unique,
      steps: [],
    }
    run.report.runs.push(scenarioRun)
    for (const step of scenario.steps) {
      const signal = run.interruption.received()
      const halt = stopped ?? (signal && `interrupted by ${signal}`)
      if (halt) {
        scenarioRun.steps.push(skippedStep(step.id, halt))
        continue
      }
      let result = await runClusterStep(run, step, handle, names)
      const interrupted = run.interruption.received()
      if (interrupted && result.status === 'failed')
        result = { ...result, status: 'skipped', reason: `interrupted by ${interrupted} while running` }
      scenarioRun.steps.push(result)
      run.log(stepLine(step.id, result))
      if (result.status === 'failed') {
        stopped = `${step.id} failed`
        if (result.diff)
          run.log(result.diff)
        run.report.diagnostics[handle.unique] = await run.lifecycle.diagnostics(handle)
      }
      saveReport(run)
    }
  }
}

/** Deletes every cluster this run may have created, or with --keep says how to reach and delete each. */
async function cleanUp(run: LiveRun): Promise<void> {
  const created = run.lifecycle.handles.filter(h => h.mayExist)
  if (run.options.keep) {
    for (const handle of created)
      run.log(`kept ${handle.unique}: KUBECONFIG=${handle.kubeconfig} kubectl get pods -A; delete with: kind delete cluster --name ${handle.unique}`)
    return
  }
  const failures = await run.lifecycle.deleteAll()
  for (const failure of failures)
    console.error(`cleanup: ${failure}`)
  if (failures.length === 0)
    run.log(`deleted ${created.map(h => h.unique).join(', ') || 'no clusters (none was created)'}`)
}

/** snippets/verified-live.json, updated when nothing failed (and the run was not interrupted). */
function recordVerification(run: LiveRun): void {
  const recordFile = join(run.options.root, 'snippets', 'verified-live.json')
  if (!existsSync(recordFile))
    return
  const stored = JSON.parse(readFileSync(recordFile, 'utf8')) as { about?: string }
  const previous = parseVerificationReport(stored)
  const next = updatedVerification(previous, run.report, run.report.startedAt.slice(0, 10))
  if (next === previous)
    return
  writeFileSync(recordFile, `${JSON.stringify({ about: stored.about, ...next }, null, 2)}\n`)
  run.log(`recorded ${next.scenarios.map(s => s.scenario).join(', ')} in snippets/verified-live.json: commit it`)
}

function startRun(options: LiveOptions, log: (line: string) => void): LiveRun {
  const lifecycle = new ClusterLifecycle({
    env: toolEnv(process.env),
  })
  log(`private kubeconfigs in ${lifecycle.workDir}`)
  const run: LiveRun = {
    options,
    log,
    lifecycle,
    interruption: watchInterruption(signal => log(`${signal}: stopping the running step, then deleting the clusters this run created`)),
    images: preloadedImages(options.pins),
    report: {
      startedAt: new Date().toISOString(),
      running: true,
      pins: options.pins,
      imageDigests: {},
      runs: [],
      diagnostics: {},
      notes: [],
      summary: summarize([]),
    },
    reportDir: resolve(options.root, options.reportDir),
  }
  saveReport(run)
  return run
}

/** The report's last form: finished (or interrupted), with the digest each tag-pinned image resolved to. */
async function finishReport(run: LiveRun): Promise<void> {
  // The images pinned by tag, not digest (versions.env says why): the digest each resolved to.
  run.report.imageDigests = await pulledDigests(run.images, toolEnv(process.env))
  delete run.report.running
  run.report.finishedAt = new Date().toISOString()
  const signal = run.interruption.received()
  if (signal)
    run.report.interrupted = signal
  saveReport(run)
  run.log(`report: ${join(run.reportDir, 'report.json')}, ${join(run.reportDir, 'junit.xml')}`)
}

/**
 * --live, as snippets/README.md tells it: check the prerequisites; run each group of scenarios
 * on a kind cluster of its own (groups side by side with --parallel), rewriting the reports
 * after every step; delete the clusters (even on SIGINT/SIGTERM); finish the reports; record
 * what passed in snippets/verified-live.json.
 */
export async function runLiveCheck(options: LiveOptions): Promise<number> {
  const log = options.log ?? ((line: string) => console.log(line))
  const missing = await prerequisiteProblems(options.probe ?? systemProbe, options.pins, options.parallel)
  if (missing.length > 0) {
    for (const problem of missing)
      console.error(`missing: ${problem}`)
    return 3
  }

  const run = startRun(options, log)
  try {
    await pool(groupsFor(options.scenarios, options.wanted), options.parallel, group => runGroup(run, group))
  }
  finally {
    await cleanUp(run)
    run.interruption.dispose()
  }
  await finishReport(run)
  recordVerification(run)

  const { summary } = run.report
  log(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`)
  const signal = run.interruption.received()
  if (signal)
    return stopExitCode(signal)
  return summary.failed > 0 ? 1 : 0
}
