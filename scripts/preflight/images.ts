import { execa } from 'execa'
import { ensureImage } from '../snippet-check/cluster-lifecycle'
import { preloadedImages } from '../snippet-check/live-check'
import { decimalSize } from './figures'

// `npm run preflight -- --pull`: every image the hands-on pulls, pulled into the local Docker
// ahead of time. The same pull as the live check's and stage's (ensureImage: inspect, then pull
// only what is missing); sizes from `docker image inspect --format '{{.Size}}'`.

export interface PinnedImage {
  image: string
  /** Where the hands-on uses it. */
  use: string
  /** The kind node image: the one large image. */
  node: boolean
}

export interface ImageList {
  images: PinnedImage[]
  /** Images the hands-on pulls that cannot be named from the pins, with why. */
  unknown: string[]
}

/**
 * Every image the hands-on pulls: kind's node image; Linkerd's proxy (which also runs linkerd-init
 * and the CNI network validator) and controller (destination, identity, injector, policy,
 * heartbeat) at LINKERD_VERSION, as the live check preloads them; the CNI plugin; the demo
 * images. The node image carries the cluster's own images (kindnet, CoreDNS, etcd, ...), and the
 * Gateway API CRDs are CRDs only, so neither adds one.
 */
export function pinnedImages(pins: Readonly<Record<string, string>>): ImageList {
  const images: PinnedImage[] = []
  const unknown: string[] = []
  if (pins.KIND_NODE_IMAGE)
    images.push({ image: pins.KIND_NODE_IMAGE, use: 'kind node image (KIND_NODE_IMAGE)', node: true })
  for (const image of preloadedImages(pins)) {
    const use = image.startsWith('cr.l5d.io/linkerd/cni-plugin:')
      ? 'linkerd install-cni (the linkerd-cni DaemonSet, LINKERD_CNI_VERSION)'
      : image.startsWith('cr.l5d.io/') ? 'Linkerd control plane and proxies (LINKERD_VERSION)' : 'demo pods'
    images.push({ image, use, node: false })
  }
  if (!pins.LINKERD_CNI_VERSION)
    unknown.push('cr.l5d.io/linkerd/cni-plugin: snippets/versions.env has no LINKERD_CNI_VERSION, so its tag is not known')
  return { images, unknown }
}

/** An image's size on disk (`docker image inspect --format '{{.Size}}'`), or undefined when it is not in Docker. */
export async function imageSize(image: string, env: Record<string, string>): Promise<number | undefined> {
  const result = await execa('docker', ['image', 'inspect', '--format', '{{.Size}}', image], {
    env,
    extendEnv: false,
    reject: false,
    timeout: 60_000,
  })
  if (result.exitCode !== 0)
    return undefined
  const size = Number(result.stdout.trim())
  return Number.isFinite(size) ? size : 0
}

export interface PullResult {
  image: string
  status: 'pulled' | 'present' | 'failed' | 'interrupted'
  /** Bytes on disk, as docker image inspect reports them. */
  size?: number
  error?: string
}

export interface PullOptions {
  env: Record<string, string>
  signal?: AbortSignal
  /** Called before each image that has to be pulled (for a progress line). */
  onPull?: (image: PinnedImage) => void
}

/** Pulls each image that Docker does not have; images already present are not pulled again. */
export async function pullImages(images: readonly PinnedImage[], options: PullOptions): Promise<PullResult[]> {
  const results: PullResult[] = []
  for (const pinned of images) {
    if (options.signal?.aborted) {
      results.push({ image: pinned.image, status: 'interrupted' })
      continue
    }
    const before = await imageSize(pinned.image, options.env)
    if (before !== undefined) {
      results.push({ image: pinned.image, status: 'present', size: before })
      continue
    }
    options.onPull?.(pinned)
    const pulled = await ensureImage(pinned.image, options.env, {
      timeoutSeconds: pinned.node ? 900 : 300,
      ...(options.signal ? { signal: options.signal } : {}),
    })
    if (pulled.error) {
      results.push(pulled.error === 'interrupted' || options.signal?.aborted
        ? { image: pinned.image, status: 'interrupted' }
        : { image: pinned.image, status: 'failed', error: pulled.error })
      continue
    }
    const after = await imageSize(pinned.image, options.env)
    results.push({
      image: pinned.image,
      status: pulled.pulled ? 'pulled' : 'present',
      ...(after === undefined ? {} : { size: after }),
    })
  }
  return results
}

function total(results: readonly PullResult[]): number {
  return results.reduce((sum, r) => sum + (r.size ?? 0), 0)
}

function images(count: number): string {
  return `${count} image${count === 1 ? '' : 's'}`
}

/** The last line of a pull: what was pulled, what was there already, what failed. */
export function pullSummary(results: readonly PullResult[]): string {
  const pulled = results.filter(r => r.status === 'pulled')
  const present = results.filter(r => r.status === 'present')
  const failed = results.filter(r => r.status === 'failed')
  const interrupted = results.filter(r => r.status === 'interrupted')
  const parts = [
    pulled.length === 0
      ? 'pulled nothing'
      : `pulled ${images(pulled.length)}, ${decimalSize(total(pulled))} on disk (the download was compressed, so smaller)`,
    ...(present.length > 0
      ? [`${images(present.length)} already present (${decimalSize(total(present))}), not pulled again`]
      : []),
    ...(failed.length > 0 ? [`${failed.length} failed`] : []),
    ...(interrupted.length > 0 ? [`${interrupted.length} not pulled (interrupted)`] : []),
  ]
  return `${parts.join('; ')}.`
}
