import type { Check, TalkCluster } from './stage-plan'
import type { StageContext } from './stage-tools'
import type { TalkState } from './talk-files'
import { readFileSync } from 'node:fs'
import { execa } from 'execa'
import { assertStepStaysInside } from '../snippet-check/cluster-lifecycle'
import { runStep } from '../snippet-check/run-step'
import { isReadOnlyScript } from './stage-commands'
import { checkList, planReset, talkClusters } from './stage-plan'
import { prerequisitesMet } from './stage-run'
import { indented, stagedClustersOrRefuse, talkEnv, talkKubectl } from './stage-tools'
import { kindContext, talkStepEnvironment, writeTalkKubeconfig } from './talk-steps'

// `npm run stage -- --check`, the last thing before going on stage: one line per check, `ok` or
// `FAIL`; exit 1 when any fails. It changes nothing on the clusters: it reads the state, asks
// kind, docker, kubectl and linkerd, and runs each scenario's next expected-output step, which
// only reads (checked). It writes each cluster's private kubeconfig again from kind first, and
// refuses (exit 3) a recorded name that now stands for a cluster staging did not create.

interface Verdict {
  ok: boolean
  detail?: string
  /** Printed indented under the line: a tool's output, a diff. */
  more?: string
}

function fail(detail: string, more?: string): Verdict {
  return more ? { ok: false, detail, more } : { ok: false, detail }
}

class Checker {
  /** Clusters whose other checks can't run, with why. */
  private readonly unusable = new Map<string, string>()
  private readonly unstaged = new Set<string>()

  constructor(private readonly context: StageContext, private readonly clusters: readonly TalkCluster[], private readonly state: TalkState, private readonly present: ReadonlySet<string>) {}

  async judge(check: Check): Promise<Verdict> {
    const { cluster } = check
    if (check.kind === 'cluster')
      return await this.clusterVerdict(cluster)
    const why = this.unusable.get(cluster)
    if (why)
      return fail(`not checked: ${why}`)
    switch (check.kind) {
      case 'nodes': return this.nodes(cluster)
      case 'linkerd': return this.linkerd(cluster)
      case 'staged': {
        const missing = check.steps.filter(step => !(step.id in this.state.staged))
        if (missing.length === 0)
          return { ok: true }
        this.unstaged.add(check.scenario.name)
        return fail(`${missing.length} not passed yet (first: ${missing[0]!.id}): run npm run stage`)
      }
      case 'next-step': {
        if (this.unstaged.has(check.scenario.name))
          return fail(`not checked: ${check.scenario.name} is not fully staged`)
        return this.nextStep(check)
      }
    }
  }

  /** How to put a scenario back: --reset when nothing was staged after it, else staging its cluster over. */
  private remedy(name: string): string {
    const plan = planReset(this.context.scenarios, this.clusters, this.state, name)
    if ('error' in plan)
      return ''
    return plan.later.length === 0
      ? `; npm run stage -- --reset ${name} puts it back`
      : `; to put it back, start ${plan.cluster} over: npm run stage -- --down, then npm run stage`
  }

  /** The cluster is staged and there; its private kubeconfig is written again from kind, never trusted as found. */
  private async clusterVerdict(cluster: string): Promise<Verdict> {
    let verdict: Verdict = !(cluster in this.state.clusters)
      ? fail('npm run stage has not created it: run npm run stage')
      : !this.present.has(cluster)
          ? fail('recorded in .talk/state.json, but kind has no such cluster: run npm run stage')
          : { ok: true }
    if (verdict.ok) {
      try {
        await writeTalkKubeconfig(this.context.root, cluster, this.context.env)
      }
      catch (error) {
        verdict = fail(`could not write .talk/kubeconfig/${cluster}.yaml from kind: ${(error as Error).message}`)
      }
    }
    if (!verdict.ok)
      this.unusable.set(cluster, `${cluster} is not staged`)
    return verdict
  }

  private async nodes(cluster: string): Promise<Verdict> {
    const result = await talkKubectl(this.context, cluster, ['get', 'nodes', '--no-headers'])
    if (result.exitCode !== 0)
      return fail('kubectl get nodes failed', result.all)
    const nodes = result.stdout.split('\n').filter(line => line.trim()).map(line => line.trim().split(/\s+/))
    const notReady = nodes.filter(([, status]) => status !== 'Ready')
    if (nodes.length === 0)
      return fail('kubectl get nodes lists no node')
    return notReady.length === 0
      ? { ok: true }
      : fail(notReady.map(([name, status]) => `${name} is ${status}`).join(', '))
  }

  private async linkerd(cluster: string): Promise<Verdict> {
    // linkerd check waits up to 5 minutes for a control plane by default; a minute is enough to say.
    const result = await execa('linkerd', [
      'check',
      '--context',
      kindContext(cluster),
      '--wait',
      '1m',
      '--output',
      'short',
    ], {
      cwd: this.context.root,
      env: talkEnv(this.context.root, cluster, this.context.env),
      extendEnv: false,
      reject: false,
      all: true,
      timeout: 90_000,
    })
    return result.exitCode === 0
      ? { ok: true }
      : fail(result.timedOut ? 'linkerd check took longer than 90 s' : 'linkerd check failed', result.all)
  }

  private async nextStep(check: Extract<Check, { kind: 'next-step' }>): Promise<Verdict> {
    const script = readFileSync(check.step.script, 'utf8')
    if (!isReadOnlyScript(script))
      return fail(`not run: ${check.step.id} does more than read (kubectl get/logs, docker exec cat/ls), and --check changes nothing`)
    try {
      assertStepStaysInside(kindContext(check.cluster), script)
    }
    catch (error) {
      return fail(`refused: ${(error as Error).message}`)
    }
    const result = await runStep(check.step, talkStepEnvironment(check.scenario, {
      root: this.context.root,
      pins: this.context.pins,
      env: this.context.env,
    }))
    return result.status === 'passed'
      ? { ok: true }
      : fail(`${result.reason ?? 'failed'}${this.remedy(check.scenario.name)}`, result.diff ?? result.output)
  }
}

export async function runCheck(context: StageContext): Promise<number> {
  if (!await prerequisitesMet(context))
    return 3
  const clusters = talkClusters(context.scenarios)
  const found = await stagedClustersOrRefuse(context, clusters, 'nothing was checked')
  if (!found)
    return 3
  const { present } = found
  const checker = new Checker(context, clusters, found.state, present)
  const checks = checkList(clusters)
  let failed = 0
  for (const check of checks) {
    const verdict = await checker.judge(check)
    if (!verdict.ok)
      failed++
    context.log(`${verdict.ok ? 'ok  ' : 'FAIL'} ${check.label}${verdict.detail
      ? `: ${verdict.detail}`
      : ''}`)
    if (verdict.more?.trim())
      context.log(indented(verdict.more))
  }
  context.log(failed === 0
    ? `${checks.length} checks passed: ready to go on stage`
    : `${checks.length} checks, ${failed} failed`)
  return failed === 0 ? 0 : 1
}
