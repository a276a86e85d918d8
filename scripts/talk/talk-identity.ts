import type { StagedCluster } from './talk-files'
import { execa } from 'execa'
import { toolEnv } from '../snippet-check/live-check'

// Which cluster a talk cluster's name stands for. A name is not enough: a recorded cluster can
// be deleted and another made under the same name (by hand, or by bash
// snippets/setup/03-create-cluster.sh), and staging must then not delete or change it. So
// `npm run stage` records the ID of the cluster's kind node container, `<cluster>-control-plane`,
// when kind has created it, and every mode that touches the cluster (stage, --check, --reset,
// --down, present) compares it with the live one first.
//
// Why the node container's ID rather than, say, the kube-system namespace's UID: kind makes a
// new container (a new ID) whenever it creates a cluster, and keeps it across restarts of Docker
// or the laptop; docker answers from its own state in milliseconds, also when the API server of
// a broken cluster does not answer (which is when --down is most needed); and Docker is a
// prerequisite of staging already. A UID would need a working API server and a kubeconfig.

export function nodeContainer(cluster: string): string {
  return `${cluster}-control-plane`
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? ''
}

/** The live node container's ID; undefined when Docker has no such container. Throws when docker itself fails. */
export async function liveNodeId(cluster: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const result = await execa('docker', ['inspect', '--format', '{{.Id}}', nodeContainer(cluster)], {
    env: toolEnv(env),
    extendEnv: false,
    reject: false,
    timeout: 30_000,
  })
  if ((result as { code?: string }).code === 'ENOENT')
    throw new Error('docker: not on PATH; it tells which cluster a talk cluster\'s name stands for')
  const id = result.stdout.trim()
  if (result.exitCode === 0 && /^\w+$/.test(id))
    return id
  if (/no such (?:object|container)/i.test(result.stderr))
    return undefined
  throw new Error(`docker inspect ${nodeContainer(cluster)} failed: ${lastLine(result.stderr) || `exit ${result.exitCode}`}`)
}

const short = (id: string) => id.slice(0, 12)

export type Identity
  = | { kind: 'same' }
  /** Recorded before its creation finished: what is there is what staging's interrupted creation left. */
    | { kind: 'creating' }
  /** Recorded by an older `npm run stage`, without the ID. */
    | { kind: 'unrecorded', live: string }
    | { kind: 'differs', message: string }

/**
 * Whether the live cluster `cluster` (which kind lists) is the one .talk/state.json recorded.
 * `created`: its creating step has passed (before that, no ID can have been recorded).
 */
export function identityOf(cluster: string, recorded: StagedCluster, created: boolean, live: string | undefined): Identity {
  if (!created && recorded.nodeId === undefined)
    return { kind: 'creating' }
  if (live === undefined) {
    return {
      kind: 'differs',
      message: `kind lists a cluster ${cluster}, but Docker has no container ${nodeContainer(cluster)}, so it can't be told from another cluster of that name; nothing was done to it (staging needs kind's Docker provider)`,
    }
  }
  if (recorded.nodeId === undefined)
    return { kind: 'unrecorded', live }
  if (recorded.nodeId !== live) {
    return {
      kind: 'differs',
      message: `${cluster} is not the cluster npm run stage created: its node container ${nodeContainer(cluster)} is ${short(live)}, .talk/state.json recorded ${short(recorded.nodeId)}, so it was deleted and another made under its name (by hand, or with a create-cluster snippet). It is left alone. If you don't need that one, delete it (kind delete cluster --name ${cluster}); then npm run stage stages ${cluster} again.`,
    }
  }
  return { kind: 'same' }
}

/** For every mode but staging itself, which records the ID of a cluster recorded without one. */
export function unrecordedMessage(cluster: string): string {
  return `${cluster} was recorded by an older npm run stage, without its node container's ID, so it can't be told from another cluster of that name: run npm run stage once (it takes the running ${cluster} as its own and records the ID), then again what you ran`
}

/** The message for an identity that only staging may accept as it is; undefined when the cluster is the recorded one. */
export function identityRefusal(cluster: string, identity: Identity): string | undefined {
  switch (identity.kind) {
    case 'same':
    case 'creating':
      return undefined
    case 'unrecorded':
      return unrecordedMessage(cluster)
    case 'differs':
      return identity.message
  }
}
