import type { Scenario } from '../snippet-check/scenarios'
import { relative } from 'node:path'
import process from 'node:process'
import { execa } from 'execa'
import { parse, stringify } from 'yaml'
import { writeFileAtomically } from '../core/files'
import { toolEnv } from '../snippet-check/live-check'
import { kindClusters, StageToolError } from './stage-tools'
import { talkPaths } from './talk-files'
import { kindContext, writeTalkKubeconfig } from './talk-steps'

// Which cluster the terminal driver's steps reach. The rule: never the person's current context.
// Without --context, only the kind cluster the scenario names (startup-init, startup-cni): kind
// must know it, and .talk/kubeconfig/<cluster>.yaml is rewritten from `kind get kubeconfig`
// before every run (so a copy left by a cluster since recreated is never used). With --context
// NAME, that context of the person's kubeconfig, flattened into a file of its own,
// .talk/kubeconfig/<cluster>.from-context.yaml, with the context renamed kind-<cluster> there
// only, said loudly. Never into the talk kubeconfig: stage, --check, --reset and present use
// that one, and would otherwise reach the person's cluster.

/** The driver cannot reach the scenario's cluster; the CLI prints it and exits 3, having run nothing. */
export class DemoClusterError extends Error {
  override name = 'DemoClusterError'
}

export interface TalkCluster {
  /** The kubeconfig every step gets (runTalkStep's `kubeconfig`). */
  kubeconfig: string
  /** What the driver says before the first step: which cluster the steps reach, and how. */
  notice: string[]
  /** The person's own context was used (--context): say so loudly. */
  foreign: boolean
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? ''
}

/** The step that creates `cluster`, for the message that says how to create it. */
function createStepOf(scenarios: readonly Scenario[], cluster: string): string | undefined {
  return scenarios.filter(s => s.cluster === cluster).flatMap(s => s.steps).find(step => step.createsCluster)?.id
}

async function kindCluster(root: string, scenario: string, cluster: string, scenarios: readonly Scenario[], env: NodeJS.ProcessEnv): Promise<TalkCluster> {
  let listed: Set<string>
  try {
    listed = await kindClusters(env)
  }
  catch (error) {
    if (!(error instanceof StageToolError))
      throw error
    throw new DemoClusterError(`${error.message}\nThe driver asks kind for the ${cluster} cluster; on a cluster of your own: --context NAME`)
  }
  if (!listed.has(cluster)) {
    const create = createStepOf(scenarios, cluster)
    throw new DemoClusterError([
      `no kind cluster named ${cluster}; the driver runs only on it.`,
      'Create it with: npm run stage',
      ...(create ? [`           or: bash snippets/${create}.sh`] : []),
      `On a cluster of your own: npm run demo -- ${scenario} --context NAME`,
    ].join('\n'))
  }
  let kubeconfig: string
  try {
    kubeconfig = await writeTalkKubeconfig(root, cluster, env)
  }
  catch (error) {
    throw new DemoClusterError((error as Error).message)
  }
  return {
    kubeconfig,
    foreign: false,
    notice: [`steps run on kind's ${cluster} only (${relative(root, kubeconfig)});`, 'your kubeconfig and current context are not used'],
  }
}

async function contextCluster(root: string, cluster: string, context: string, env: NodeJS.ProcessEnv): Promise<TalkCluster> {
  // The person's kubeconfig is where NAME lives, so this one call sees KUBECONFIG; steps never do.
  const kubectlEnv = {
    ...toolEnv(env),
    ...(env.KUBECONFIG ? { KUBECONFIG: env.KUBECONFIG } : {}),
  }
  const viewed = await execa('kubectl', ['config', 'view', '--minify', '--flatten', '--context', context], {
    env: kubectlEnv,
    extendEnv: false,
    reject: false,
    timeout: 30_000,
  })
  if (viewed.exitCode === undefined)
    throw new DemoClusterError('kubectl is not on PATH; --context reads your context with kubectl config view')
  if (viewed.exitCode !== 0)
    throw new DemoClusterError(`no context ${context} in your kubeconfig (kubectl: ${lastLine(viewed.stderr)});\nkubectl config get-contexts lists them`)
  const config = parse(viewed.stdout) as { 'contexts'?: { name?: string }[], 'current-context'?: string } | null
  const contexts = config?.contexts ?? []
  if (!config || contexts.length !== 1 || contexts[0]!.name !== context)
    throw new DemoClusterError(`kubectl config view --minify --context ${context} returned contexts ${contexts.map(c => c.name).join(', ') || '(none)'}; expected only ${context}`)
  const renamed = kindContext(cluster)
  contexts[0]!.name = renamed
  config['current-context'] = renamed
  const file = talkPaths(root).contextKubeconfig(cluster)
  writeFileAtomically(file, `# Written by npm run demo --context ${context}: your context ${context}, renamed ${renamed} in this copy only.\n${stringify(config)}`)
  return {
    kubeconfig: file,
    foreign: true,
    notice: [
      `⚠ --context ${context}: steps run on YOUR context ${context},`,
      `  not on kind's ${cluster}. A private copy, renamed ${renamed},`,
      `  is in ${relative(root, file)}; your kubeconfig is unchanged.`,
    ],
  }
}

/** Writes the kubeconfig the steps get, or throws DemoClusterError saying why it can't. */
export async function prepareTalkCluster(root: string, scenario: Scenario, scenarios: readonly Scenario[], options: { context?: string, env?: NodeJS.ProcessEnv } = {}): Promise<TalkCluster> {
  const env = options.env ?? process.env
  if (!scenario.cluster)
    throw new DemoClusterError(`${scenario.name} runs on no cluster`)
  return options.context === undefined
    ? kindCluster(root, scenario.name, scenario.cluster, scenarios, env)
    : contextCluster(root, scenario.cluster, options.context, env)
}
