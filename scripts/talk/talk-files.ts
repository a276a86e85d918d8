import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomically } from '../core/files'

// What staging, the slides' run controls and the terminal driver keep between runs, all under
// .talk/ in the checkout (git ignores it): the clusters `stage` created, which staged steps
// have passed, a kubeconfig per talk cluster, and the real output of every step run.

export const TALK_DIR = '.talk'

export interface StagedCluster {
  createdAt: string
  /**
   * The ID of the cluster's kind node container (`docker inspect <cluster>-control-plane`),
   * recorded once kind has created it: a cluster deleted and made again under the same name
   * (by hand, or by a snippet) has another, and staging and present refuse to touch it.
   */
  nodeId?: string
  /** When the pinned images were loaded into the node; missing until that finished, so an interrupted preload is done again. */
  preloaded?: string
}

export interface TalkState {
  /** Clusters `npm run stage` created, by the name the snippets use; nothing else is ever touched. */
  clusters: Record<string, StagedCluster>
  /** Staged steps that passed, by id, in the order they ran. */
  staged: Record<string, { finishedAt: string }>
}

export function talkPaths(root: string) {
  const dir = join(root, TALK_DIR)
  return {
    dir,
    state: join(dir, 'state.json'),
    /** A kubeconfig holding only this cluster's context: the only one a talk step ever gets. */
    kubeconfig: (cluster: string) => join(dir, 'kubeconfig', `${cluster}.yaml`),
    /**
     * `npm run demo --context NAME`'s copy of the person's own context, renamed kind-<cluster>:
     * its own file, so stage, --check, --reset and present (which use the file above) never
     * reach that other cluster.
     */
    contextKubeconfig: (cluster: string) => join(dir, 'kubeconfig', `${cluster}.from-context.yaml`),
    /** What the step really printed the last time it ran (stage, present or demo). */
    output: (stepId: string) => join(dir, 'outputs', `${stepId}.out`),
  }
}

export function readTalkState(root: string): TalkState {
  try {
    const parsed = JSON.parse(readFileSync(talkPaths(root).state, 'utf8')) as Partial<TalkState>
    return { clusters: parsed.clusters ?? {}, staged: parsed.staged ?? {} }
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { clusters: {}, staged: {} }
    throw new Error(`${talkPaths(root).state}: unreadable (${(error as Error).message}); delete it only after deleting the talk clusters by hand`)
  }
}

/** Written to a scratch file and renamed, so an interrupted run never leaves half a state. */
export function writeTalkState(root: string, state: TalkState): void {
  writeFileAtomically(talkPaths(root).state, `${JSON.stringify(state, null, 2)}\n`)
}

/** Keeps a step's real output, with when it ran, for the slides and the next live check. */
export function keepOutput(root: string, stepId: string, output: string, ranAt = new Date()): void {
  writeFileAtomically(talkPaths(root).output(stepId), `${output.replace(/\n*$/, '\n')}`)
  writeFileAtomically(`${talkPaths(root).output(stepId)}.json`, `${JSON.stringify({
    ranAt: ranAt.toISOString(),
  })}\n`)
}

export function keptOutput(root: string, stepId: string): { output: string, ranAt: string } | undefined {
  try {
    const output = readFileSync(talkPaths(root).output(stepId), 'utf8')
    const { ranAt } = JSON.parse(readFileSync(`${talkPaths(root).output(stepId)}.json`, 'utf8')) as { ranAt: string }
    return { output, ranAt }
  }
  catch {
    return undefined
  }
}
