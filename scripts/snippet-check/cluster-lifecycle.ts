import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { parse } from 'yaml'

// The only code that runs kind, or kubectl against a cluster, on the checker's own behalf.
// Every cluster gets a unique name and a kubeconfig file of its own: steps run with KUBECONFIG
// pointing at that file, so the presenter's contexts (~/.kube/config) are never read or
// written, and a step can only reach the cluster this run created.

export interface ClusterHandle {
  /** The name the snippets use, e.g. startup-init. */
  declared: string
  /** The name this run gave it, e.g. snippets-startup-init-3f9a1c. */
  unique: string
  context: string
  kubeconfig: string
  /** Set once the creating step has run (successfully or not): from then on, delete it. */
  mayExist: boolean
  deleted: boolean
}

export interface LifecycleOptions {
  /** PATH, HOME and Docker's connection settings for kind, kubectl and docker. */
  env: Record<string, string>
  workDir?: string
}

export interface Diagnostics {
  [name: string]: string
}

export class ContextSafetyError extends Error {
  override name = 'ContextSafetyError'
}

/**
 * `kubectl logs` of every container of the selected pods, each line prefixed with its pod and
 * container. `--ignore-errors`: without it kubectl stops at the first container it can't read
 * (one still waiting, or with no previous instance), which in a stuck pod is most of them.
 */
function containerLogs(namespace: string, tail: number, pods: string[], previous = false): string[] {
  return [
    'logs',
    '-n',
    namespace,
    '--all-containers',
    '--ignore-errors',
    '--prefix',
    ...(previous ? ['--previous'] : []),
    `--tail=${tail}`,
    ...pods,
  ]
}

/**
 * Refuses a step that could reach another cluster: one that names another kubeconfig, or a
 * context other than `context` (the one cluster the step may use).
 */
export function assertStepStaysInside(context: string | undefined, script: string): void {
  if (/--kubeconfig\b|\bKUBECONFIG=|\bunset\s+(?:-v\s+)?KUBECONFIG\b|\benv\s+(?:\S+\s+)*-u\s*KUBECONFIG\b/.test(script))
    throw new ContextSafetyError('the step sets or unsets its own kubeconfig; steps must use the one the checker gives them')
  // Any context the step names must be this cluster's, written out: a "$VARIABLE" is refused too.
  for (const match of script.matchAll(/(?:--context[=\s]+|use-context\s+)["']?([^\s"']+)/g)) {
    if (match[1] !== context)
      throw new ContextSafetyError(`the step names context "${match[1]}", but this run may only use ${context ?? 'no context (no cluster yet)'}`)
  }
}

function runTool(command: string, args: string[], env: Record<string, string>, timeoutSeconds: number, signal?: AbortSignal) {
  return execa(command, args, {
    env,
    extendEnv: false,
    reject: false,
    all: true,
    timeout: timeoutSeconds * 1000,
    ...(signal ? { cancelSignal: signal } : {}),
  })
}

/** Pulls `image` into the local Docker unless it is there already; the error, if the pull failed. */
export async function ensureImage(image: string, env: Record<string, string>, options: { timeoutSeconds?: number, signal?: AbortSignal } = {}): Promise<{ pulled: boolean, error?: string }> {
  const present = await runTool('docker', ['image', 'inspect', image], env, 60, options.signal)
  if (present.exitCode === 0)
    return { pulled: false }
  const pulled = await runTool('docker', ['pull', image], env, options.timeoutSeconds ?? 300, options.signal)
  if (pulled.exitCode === 0)
    return { pulled: true }
  return {
    pulled: false,
    error: pulled.isCanceled
      ? 'interrupted'
      : pulled.timedOut
        ? `timed out after ${options.timeoutSeconds ?? 300}s`
        : (pulled.stderr.trim().split('\n').at(-1) ?? `exit ${pulled.exitCode}`),
  }
}

/**
 * The repository Docker lists an image's digests under: `docker.io/hashicorp/http-echo:1.0.0`
 * → `hashicorp/http-echo` (Docker Hub's host and its `library/` left out, as Docker does).
 */
export function dockerRepository(image: string): string {
  const name = image.split('@')[0]!.replace(/:[^/:]*$/, '')
  const [host, ...path] = name.split('/')
  if (path.length === 0 || !/[.:]|^localhost$/.test(host!))
    return name.replace(/^library\//, '')
  if (host === 'docker.io' || host === 'index.docker.io')
    return path.join('/').replace(/^library\//, '')
  return name
}

/** The digest among Docker's `RepoDigests` for `image`'s repository: `sha256:…`. */
export function digestFor(image: string, repoDigests: readonly string[]): string | undefined {
  const repository = dockerRepository(image)
  return repoDigests
    .map(entry => entry.split('@'))
    .find(([name, digest]) => name === repository && /^sha256:[0-9a-f]{64}$/.test(digest ?? ''))?.[1]
}

/**
 * What each image referenced by tag resolved to in the local Docker: image → `sha256:…`. An
 * image pinned by digest needs no record, and one Docker does not have gets none.
 */
export async function pulledDigests(images: readonly string[], env: Record<string, string>): Promise<Record<string, string>> {
  const digests: Record<string, string> = {}
  for (const image of images.filter(image => !image.includes('@'))) {
    const inspected = await runTool('docker', [
      'image',
      'inspect',
      '--format',
      '{{json .RepoDigests}}',
      image,
    ], env, 60)
    let repoDigests: unknown
    try {
      repoDigests = JSON.parse(inspected.stdout)
    }
    catch {
      continue
    }
    const digest = inspected.exitCode === 0 && Array.isArray(repoDigests)
      ? digestFor(image, repoDigests.filter((entry): entry is string => typeof entry === 'string'))
      : undefined
    if (digest)
      digests[image] = digest
  }
  return digests
}

/**
 * Pulls the kind node image before the step that creates a cluster, so that step's timeout
 * covers creating the cluster and not also a cold download of several hundred MB.
 */
export async function pullNodeImage(image: string, env: Record<string, string>, signal?: AbortSignal): Promise<string> {
  const result = await ensureImage(image, env, {
    timeoutSeconds: 900,
    ...(signal ? { signal } : {}),
  })
  if (result.error)
    return `could not pull ${image} (${result.error}); kind create pulls it itself, within the creating step's timeout`
  return result.pulled
    ? `pulled ${image} before creating the cluster`
    : `${image} was already pulled`
}

/** Loads each image into kind cluster `cluster`, pulling it into the local Docker first; one note per image. */
export async function preloadImages(cluster: string, images: readonly string[], env: Record<string, string>): Promise<string[]> {
  const notes: string[] = []
  for (const image of images) {
    if ((await ensureImage(image, env)).error) {
      notes.push(`could not pull ${image}; the cluster will pull it itself`)
      continue
    }
    const loaded = await runTool('kind', ['load', 'docker-image', image, '--name', cluster], env, 300)
    notes.push(loaded.exitCode === 0
      ? `preloaded ${image}`
      : `could not load ${image} into ${cluster} (the node pulls it instead): ${loaded.stderr.trim().split('\n').at(-1) ?? ''}`)
  }
  return notes
}

export class ClusterLifecycle {
  readonly handles: ClusterHandle[] = []
  readonly workDir: string
  private readonly runId = randomBytes(3).toString('hex')

  constructor(private readonly options: LifecycleOptions) {
    this.workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'snippet-check-'))
  }

  /** Reserves a unique name and an empty private kubeconfig for a cluster the snippets name `declared`. */
  reserve(declared: string): ClusterHandle {
    const unique = `snippets-${declared}-${this.runId}`.slice(0, 50)
    const handle: ClusterHandle = {
      declared,
      unique,
      context: `kind-${unique}`,
      kubeconfig: join(this.workDir, `${unique}.kubeconfig`),
      mayExist: false,
      deleted: false,
    }
    this.handles.push(handle)
    return handle
  }

  private exec(command: string, args: string[], handle: ClusterHandle, timeoutSeconds = 60) {
    return execa(command, args, {
      env: { ...this.options.env, KUBECONFIG: handle.kubeconfig },
      extendEnv: false,
      reject: false,
      all: true,
      timeout: timeoutSeconds * 1000,
    })
  }

  /** The contexts in the cluster's private kubeconfig. */
  contexts(handle: ClusterHandle): string[] {
    if (!existsSync(handle.kubeconfig))
      return []
    const config = parse(readFileSync(handle.kubeconfig, 'utf8')) as { contexts?: { name?: string }[] } | null
    return (config?.contexts ?? []).map(c => c.name ?? '')
  }

  /** After the creating step: the private kubeconfig must hold this cluster's context and nothing else. */
  verifyCreated(handle: ClusterHandle): void {
    const contexts = this.contexts(handle)
    if (contexts.length !== 1 || contexts[0] !== handle.context)
      throw new ContextSafetyError(`after creating ${handle.unique}, its kubeconfig holds ${contexts.join(', ') || 'no context'}; expected exactly ${handle.context}`)
  }

  assertStepStaysInside(handle: ClusterHandle | undefined, script: string): void {
    assertStepStaysInside(handle?.context, script)
  }

  async preloadImages(handle: ClusterHandle, images: readonly string[]): Promise<string[]> {
    return preloadImages(handle.unique, images, { ...this.options.env, KUBECONFIG: handle.kubeconfig })
  }

  /** Events, pod states, descriptions and every container's log in the demo namespaces. */
  async diagnostics(handle: ClusterHandle): Promise<Diagnostics> {
    if (!handle.mayExist || handle.deleted || !existsSync(handle.kubeconfig))
      return {}
    const commands: Record<string, string[]> = {
      'events': ['get', 'events', '--all-namespaces', '--sort-by=.lastTimestamp'],
      'pods': ['get', 'pods', '--all-namespaces', '-o', 'wide'],
      'describe pods -n demo': ['describe', 'pods', '-n', 'demo'],
      'logs -n demo (all containers, init containers and proxies included)': containerLogs('demo', 200, ['-l', 'linkerd.io/control-plane-ns']),
      'logs -n demo --previous': containerLogs('demo', 100, ['-l', 'linkerd.io/control-plane-ns'], true),
      'logs -n linkerd-cni': containerLogs('linkerd-cni', 200, ['daemonset/linkerd-cni']),
      'logs -n linkerd (control plane)': containerLogs('linkerd', 100, ['-l', 'linkerd.io/control-plane-ns=linkerd']),
    }
    const gathered: Diagnostics = {}
    for (const [name, args] of Object.entries(commands)) {
      const result = await this.exec('kubectl', ['--context', handle.context, ...args], handle, 30)
      gathered[name] = result.all ?? ''
    }
    return gathered
  }

  async delete(handle: ClusterHandle): Promise<void> {
    if (handle.deleted)
      return
    if (handle.mayExist) {
      const result = await this.exec('kind', [
        'delete',
        'cluster',
        '--name',
        handle.unique,
        '--kubeconfig',
        handle.kubeconfig,
      ], handle, 120)
      if (result.exitCode !== 0)
        throw new Error(`kind delete cluster --name ${handle.unique} failed: ${result.all ?? ''}`)
    }
    rmSync(handle.kubeconfig, { force: true })
    handle.deleted = true
  }

  /** Deletes every cluster this run may have created, and their kubeconfigs. */
  async deleteAll(): Promise<string[]> {
    const failures: string[] = []
    for (const handle of this.handles) {
      try {
        await this.delete(handle)
      }
      catch (error) {
        failures.push((error as Error).message)
      }
    }
    if (failures.length === 0)
      rmSync(this.workDir, { recursive: true, force: true })
    return failures
  }
}
