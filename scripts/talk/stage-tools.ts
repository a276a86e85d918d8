import type { Interruption } from '../core/cli'
import type { Probe } from '../snippet-check/prerequisites'
import type { StepResult } from '../snippet-check/run-step'
import type { Scenario } from '../snippet-check/scenarios'
import type { TalkCluster } from './stage-plan'
import type { TalkState } from './talk-files'
import type { Identity } from './talk-identity'
import { existsSync, readFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { execa } from 'execa'
import { parse } from 'yaml'
import { watchInterruption } from '../core/cli'
import { toolEnv } from '../snippet-check/live-check'
import { readTalkState, talkPaths } from './talk-files'
import { identityOf, identityRefusal, liveNodeId } from './talk-identity'
import { kindContext } from './talk-steps'

// The tools `npm run stage` runs on its own behalf, and what it reads of the presenter's setup.
// Two environments: the talk kubeconfig (.talk/kubeconfig/<cluster>.yaml) for everything that
// reaches a cluster, and the presenter's own ($KUBECONFIG or ~/.kube/config) only for
// `kind export kubeconfig` and `kind delete cluster`, so their contexts follow the clusters.

export interface StageContext {
  root: string
  scenarios: Scenario[]
  pins: Record<string, string>
  /** The presenter's environment (process.env; tests pass the stand-ins' PATH and HOME). */
  env: NodeJS.ProcessEnv
  log: (line: string) => void
  warn: (line: string) => void
  probe?: Probe
}

/** Failures of the tools themselves (kind can't list its clusters, a kubeconfig can't be read): exit 3. */
export class StageToolError extends Error {
  override name = 'StageToolError'
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? ''
}

/** What kind needs to edit the presenter's kubeconfig: their KUBECONFIG, if they set one. */
export function presenterEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return {
    ...toolEnv(env),
    ...(env.KUBECONFIG ? { KUBECONFIG: env.KUBECONFIG } : {}),
  }
}

/** The environment for kubectl and kind on one talk cluster: its private kubeconfig only. */
export function talkEnv(root: string, cluster: string, env: NodeJS.ProcessEnv): Record<string, string> {
  return {
    ...toolEnv(env),
    KUBECONFIG: talkPaths(root).kubeconfig(cluster),
  }
}

/** The presenter's kubeconfig files, as kubectl finds them. */
export function presenterKubeconfigs(env: NodeJS.ProcessEnv): string[] {
  return env.KUBECONFIG
    ? env.KUBECONFIG.split(delimiter).filter(Boolean)
    : [join(env.HOME ?? '', '.kube', 'config')]
}

/** Every context in the presenter's kubeconfig, with the file that holds it. */
export function presenterContexts(env: NodeJS.ProcessEnv): Map<string, string> {
  const contexts = new Map<string, string>()
  for (const file of presenterKubeconfigs(env)) {
    if (!existsSync(file))
      continue
    let config: { contexts?: { name?: string }[] | null } | null
    try {
      config = parse(readFileSync(file, 'utf8')) as typeof config
    }
    catch (error) {
      throw new StageToolError(`cannot read your kubeconfig ${file}: ${(error as Error).message.split('\n')[0]}`)
    }
    for (const context of config?.contexts ?? []) {
      if (context.name && !contexts.has(context.name))
        contexts.set(context.name, file)
    }
  }
  return contexts
}

export async function kindClusters(env: NodeJS.ProcessEnv): Promise<Set<string>> {
  const result = await execa('kind', ['get', 'clusters'], {
    env: toolEnv(env),
    extendEnv: false,
    reject: false,
    timeout: 60_000,
  })
  if ((result as { code?: string }).code === 'ENOENT')
    throw new StageToolError('kind: not on PATH; install it (https://kind.sigs.k8s.io/docs/user/quick-start/#installation)')
  if (result.exitCode !== 0)
    throw new StageToolError(`kind get clusters failed: ${lastLine(result.stderr) || `exit ${result.exitCode}`}`)
  return new Set(result.stdout.split('\n').map(line => line.trim()).filter(Boolean))
}

/**
 * Whether each recorded talk cluster that kind lists is the one staging created (its node
 * container's ID against the recorded one). Throws StageToolError when docker can't say.
 */
export async function recordedIdentities(clusters: readonly TalkCluster[], state: TalkState, present: ReadonlySet<string>, env: NodeJS.ProcessEnv): Promise<Map<string, Identity>> {
  const identities = new Map<string, Identity>()
  for (const { cluster, creating } of clusters) {
    const recorded = state.clusters[cluster]
    if (!recorded || !present.has(cluster))
      continue
    const created = creating.id in state.staged
    let live: string | undefined
    if (created || recorded.nodeId !== undefined) {
      try {
        live = await liveNodeId(cluster, env)
      }
      catch (error) {
        throw new StageToolError((error as Error).message)
      }
    }
    identities.set(cluster, identityOf(cluster, recorded, created, live))
  }
  return identities
}

/**
 * What --check and --down start from: the state, the kind clusters there, and a refusal for each
 * recorded name that now stands for a cluster staging did not create. Throws StageToolError when
 * kind or docker can't run.
 */
export async function stagedClusters(context: StageContext, clusters: readonly TalkCluster[]): Promise<{ state: TalkState, present: Set<string>, refused: string[] }> {
  const state = readTalkState(context.root)
  const present = await kindClusters(context.env)
  const refused = [...await recordedIdentities(clusters, state, present, context.env)]
    .flatMap(([cluster, identity]) => identityRefusal(cluster, identity) ?? [])
  return { state, present, refused }
}

/**
 * stagedClusters for a command that changes or judges them: undefined, after saying why and
 * that `nothing` was done, when kind or docker can't run or a recorded name is refused.
 */
export async function stagedClustersOrRefuse(context: StageContext, clusters: readonly TalkCluster[], nothing: string): Promise<{ state: TalkState, present: Set<string> } | undefined> {
  let found
  try {
    found = await stagedClusters(context, clusters)
  }
  catch (error) {
    context.warn((error as Error).message)
    return undefined
  }
  if (found.refused.length === 0)
    return found
  for (const problem of found.refused)
    context.warn(`refused: ${problem}`)
  context.warn(nothing)
  return undefined
}

/** Adds context kind-<cluster> to the presenter's kubeconfig (kind also makes it the current one). */
export async function exportKubeconfig(cluster: string, env: NodeJS.ProcessEnv): Promise<void> {
  const result = await execa('kind', ['export', 'kubeconfig', '--name', cluster], {
    env: presenterEnv(env),
    extendEnv: false,
    reject: false,
    all: true,
    timeout: 60_000,
  })
  if (result.exitCode !== 0)
    throw new Error(`kind export kubeconfig --name ${cluster} failed: ${lastLine(result.all ?? '')}`)
}

/** Deletes a kind cluster; with `presenter`, kind also removes its context from the presenter's kubeconfig. */
export async function deleteKindCluster(cluster: string, env: Record<string, string>): Promise<void> {
  const result = await execa('kind', ['delete', 'cluster', '--name', cluster], {
    env,
    extendEnv: false,
    reject: false,
    all: true,
    timeout: 180_000,
  })
  if (result.exitCode !== 0)
    throw new Error(`kind delete cluster --name ${cluster} failed: ${lastLine(result.all ?? '')}`)
}

/** kubectl on a talk cluster, through its private kubeconfig and naming its context. */
export function talkKubectl(context: StageContext, cluster: string, args: string[], timeoutSeconds = 60) {
  return execa('kubectl', [...args, '--context', kindContext(cluster)], {
    cwd: context.root,
    env: talkEnv(context.root, cluster, context.env),
    extendEnv: false,
    reject: false,
    all: true,
    timeout: timeoutSeconds * 1000,
  })
}

export function stepLine(result: StepResult): string {
  const attempts = result.attempts > 1 ? ` (${result.attempts} attempts)` : ''
  const time = result.status === 'skipped' ? '' : ` ${(result.durationMs / 1000).toFixed(1)}s`
  return `${result.status.padEnd(7)} ${result.id}${attempts}${time}${result.reason
    ? `: ${result.reason}`
    : ''}`
}

/** Indents a block of tool output under the line it belongs to. */
export function indented(text: string): string {
  return text.trimEnd().split('\n').map(line => `    ${line}`).join('\n')
}

/** SIGINT/SIGTERM stop the running step (through `signal`); the caller keeps what passed and exits 130/143. */
export function onInterrupt(log: (line: string) => void): Interruption {
  return watchInterruption(signal => log(`${signal}: stopping the running step; the steps that passed stay recorded`))
}
