import type { Prerequisite } from '../snippet-check/prerequisites'
import { COMFORTABLE_CPUS, DISK_NODE_IMAGE, DISK_OTHER_IMAGE, DISK_PER_CLUSTER, gib, MIN_CPUS, MIN_MEMORY, MIN_MEMORY_PER_NODE } from './figures'

// The judgements `npm run preflight` makes, as pure functions of what it read: `docker info`,
// the inotify limits, free disk, the kind clusters that exist. Each returns one or more checks,
// rendered by render.ts; run.ts does the reading.

export type Status = 'ok' | 'warn' | 'FAIL' | 'skip'

export interface Check {
  status: Status
  /** What is checked: `docker`, `docker memory`, `kind`, `disk`... */
  name: string
  /** What was found, and for a FAIL or warn what is wrong. */
  detail: string
  /** For FAIL and warn: how to fix it, one line per command or instruction. */
  fix?: string[]
}

/** A shared prerequisite (scripts/snippet-check/prerequisites.ts) as a preflight check. */
export function fromPrerequisite(p: Prerequisite): Check {
  if (p.problem) {
    return {
      status: 'FAIL',
      name: p.name,
      detail: p.problem.what,
      fix: p.problem.fix,
    }
  }
  if (p.skipped !== undefined)
    return { status: 'skip', name: p.name, detail: p.skipped }
  return { status: 'ok', name: p.name, detail: p.found ?? 'found' }
}

/** The fields of `docker info --format '{{json .}}'` that preflight reads. */
export interface DockerInfo {
  serverVersion: string
  cpus: number
  memTotal: number
  operatingSystem: string
  osType: string
  architecture: string
  /** "1" or "2"; empty when the engine does not say (older engines, non-Linux). */
  cgroupVersion: string
  dockerRootDir: string
  /** `[[driver-type io.containerd.snapshotter.v1]]` when Docker keeps images in containerd. */
  containerdImageStore: boolean
}

/**
 * Parses `docker info --format '{{json .}}'`. Undefined when the output is not that JSON, or the
 * engine was not reached (the CLI still prints the document, with empty server fields).
 */
export function parseDockerInfo(json: string): DockerInfo | undefined {
  let info: Record<string, unknown>
  try {
    info = JSON.parse(json.trim()) as Record<string, unknown>
  }
  catch {
    return undefined
  }
  if (typeof info !== 'object' || info === null || typeof info.ServerVersion !== 'string' || info.ServerVersion === '')
    return undefined
  const text = (value: unknown) => typeof value === 'string' || typeof value === 'number' ? String(value) : ''
  const driverStatus = Array.isArray(info.DriverStatus) ? info.DriverStatus as unknown[] : []
  return {
    serverVersion: info.ServerVersion,
    cpus: Number(info.NCPU) || 0,
    memTotal: Number(info.MemTotal) || 0,
    operatingSystem: text(info.OperatingSystem),
    osType: text(info.OSType),
    architecture: text(info.Architecture),
    cgroupVersion: text(info.CgroupVersion),
    dockerRootDir: text(info.DockerRootDir),
    containerdImageStore: driverStatus.some(pair => Array.isArray(pair) && pair[0] === 'driver-type' && pair[1] === 'io.containerd.snapshotter.v1'),
  }
}

export function isDockerDesktop(info: DockerInfo): boolean {
  return info.operatingSystem === 'Docker Desktop'
}

/** Where to give the engine more CPUs or memory. */
function resourceFix(info: DockerInfo, what: string): string[] {
  if (isDockerDesktop(info))
    return [`Docker Desktop: Settings → Resources → Advanced → ${what}, then Apply & restart.`]
  return [`The Docker engine has what its machine (or VM: Colima, Rancher Desktop, a Linux VM) has: give that machine more ${what}, or use a bigger one.`]
}

/** The engine itself, its CPUs and memory, its cgroup version and image store. */
export function engineChecks(info: DockerInfo): Check[] {
  const checks: Check[] = []
  if (info.osType !== '' && info.osType !== 'linux') {
    checks.push({
      status: 'FAIL',
      name: 'docker platform',
      detail: `the engine runs ${info.osType} containers; kind's nodes are Linux containers`,
      fix: ['Docker Desktop: right-click its tray icon → Switch to Linux containers.'],
    })
  }

  const cpus = `${info.cpus} CPU${info.cpus === 1 ? '' : 's'}`
  if (info.cpus < MIN_CPUS) {
    checks.push({
      status: 'FAIL',
      name: 'docker CPUs',
      detail: `${cpus}; a kind node is a kubeadm machine, which needs at least ${MIN_CPUS}`,
      fix: resourceFix(info, `CPUs (at least ${MIN_CPUS}, ${COMFORTABLE_CPUS} for both clusters at full speed)`),
    })
  }
  else if (info.cpus < COMFORTABLE_CPUS) {
    checks.push({
      status: 'warn',
      name: 'docker CPUs',
      detail: `${cpus}: enough to start both clusters, but they share them (kubeadm asks ${MIN_CPUS} per node, ${COMFORTABLE_CPUS} for two), so installs and waits run slower and may reach a step's time limit`,
      fix: resourceFix(info, `CPUs (${COMFORTABLE_CPUS})`),
    })
  }
  else {
    checks.push({ status: 'ok', name: 'docker CPUs', detail: `${cpus} (two kind nodes: ${MIN_CPUS} each)` })
  }

  const needed = `${gib(MIN_MEMORY)} needed: two kind nodes × ${MIN_MEMORY_PER_NODE / 1024 ** 2} MiB, kubeadm's minimum per machine`
  if (info.memTotal < MIN_MEMORY) {
    checks.push({
      status: 'FAIL',
      name: 'docker memory',
      detail: `${gib(info.memTotal)}; ${needed}`,
      fix: resourceFix(info, `memory (4 GB or more)`),
    })
  }
  else {
    checks.push({ status: 'ok', name: 'docker memory', detail: `${gib(info.memTotal)} (${needed})` })
  }

  if (info.cgroupVersion === '1') {
    checks.push({
      status: 'FAIL',
      name: 'docker cgroups',
      detail: 'the engine runs on cgroup v1; the pinned Kubernetes v1.35 kubelet refuses to start on cgroup v1 (failCgroupV1, KEP-5573), so kind create cluster fails',
      fix: [
        'Boot the machine (or the VM Docker runs in) with cgroup v2: add systemd.unified_cgroup_hierarchy=1 to the kernel command line, or use a distribution that defaults to it (Ubuntu 21.10+, Debian 11+, Fedora 31+, RHEL 9+).',
      ],
    })
  }
  else if (info.cgroupVersion === '2') {
    checks.push({ status: 'ok', name: 'docker cgroups', detail: 'v2' })
  }

  if (info.containerdImageStore) {
    checks.push({
      status: 'warn',
      name: 'docker image store',
      detail: 'Docker keeps images in containerd (the default on fresh installs of Docker Engine 29 and later); `kind load docker-image` can fail with it (kubernetes-sigs/kind#3795), and then each cluster pulls Linkerd\'s and the demo images itself, from the network',
      fix: [
        'Nothing to do if the venue\'s network works; npm run stage notes each image it could not load.',
        'To rely on pre-pulled images only: Docker Desktop: Settings → General → untick "Use containerd for pulling and storing images"; Docker Engine: "features": {"containerd-snapshotter": false} in /etc/docker/daemon.json, then restart Docker and pull again.',
      ],
    })
  }
  return checks
}

/** An image and whether it is in Docker already, for the disk estimate. */
export interface ImagePresence {
  image: string
  present: boolean
  /** The kind node image (the one large image). */
  node: boolean
}

/** Free disk the hands-on still needs: the clusters, plus the images not pulled yet. An estimate (figures.ts). */
export function diskNeeded(images: readonly ImagePresence[], clusters: number): { bytes: number, basis: string } {
  const missing = images.filter(i => !i.present)
  const imageBytes = missing.reduce((sum, i) => sum + (i.node ? DISK_NODE_IMAGE : DISK_OTHER_IMAGE), 0)
  const clusterBytes = clusters * DISK_PER_CLUSTER
  const imagesPart = missing.length === 0
    ? 'every pinned image is pulled already'
    : `${gib(imageBytes)} for the ${missing.length} image${missing.length === 1 ? '' : 's'} not pulled yet`
  return {
    bytes: clusterBytes + imageBytes,
    basis: `an estimate: ${gib(clusterBytes)} for ${clusters} clusters, ${imagesPart}`,
  }
}

export interface DiskSpace {
  /** The directory measured. */
  path: string
  /** Why that directory: Docker's data root, containerd's, or the working directory as a stand-in. */
  what: string
  free: number
  /** Said under the line, e.g. that Docker Desktop's own disk limit applies too. */
  note?: string
}

export function diskCheck(space: DiskSpace | undefined, needed: { bytes: number, basis: string }): Check {
  if (!space)
    return { status: 'skip', name: 'disk', detail: 'could not measure the free space where Docker keeps its data' }
  const where = `${gib(space.free)} free in ${space.path} (${space.what})`
  const neededText = `about ${gib(needed.bytes)} needed (${needed.basis})`
  if (space.free < needed.bytes) {
    return {
      status: 'FAIL',
      name: 'disk',
      detail: `${where}; ${neededText}`,
      fix: [
        'Free some space: docker system df shows what Docker holds; docker system prune removes stopped containers, unused networks and dangling images.',
        ...(space.note ? [space.note] : []),
      ],
    }
  }
  return {
    status: 'ok',
    name: 'disk',
    detail: `${where}; ${neededText}${space.note ? `. ${space.note}` : ''}`,
  }
}

/** The talk's clusters that exist already: `kind create cluster` refuses a name in use. */
export function existingClustersCheck(existing: ReadonlySet<string> | Error, talk: readonly string[]): Check {
  if (existing instanceof Error)
    return { status: 'skip', name: 'kind clusters', detail: existing.message }
  const taken = talk.filter(name => existing.has(name))
  if (taken.length === 0)
    return { status: 'ok', name: 'kind clusters', detail: `none named ${talk.join(' or ')} yet` }
  return {
    status: 'warn',
    name: 'kind clusters',
    detail: `${taken.join(' and ')} exist${taken.length === 1
      ? 's'
      : ''} already: the step that creates ${taken.length === 1
      ? 'it'
      : 'them'} will fail (fine if you created ${taken.length === 1 ? 'it' : 'them'} for this workshop)`,
    fix: taken.map(name => `kind delete cluster --name ${name}   # to start over`),
  }
}
