// The figures `npm run preflight` holds a machine to, each with where it comes from (the full
// citations are in SOURCES.md, "npm run preflight: the figures"). Plain data, no Node.

const MiB = 1024 ** 2
const GiB = 1024 ** 3

/** The hands-on runs two single-node kind clusters at once (startup-init and startup-cni; run.ts reads their names from the scenarios). */
export const CLUSTERS = 2

/**
 * kubeadm's requirement per machine, and each kind node is one kubeadm machine: "2 CPUs or more"
 * (kubernetes.io, Installing kubeadm) and kubeadm's preflight `ControlPlaneNumCPU = 2`. kind skips
 * kubeadm's preflight phase (kind v0.31.0, kubeadminit/init.go), so nothing else checks it.
 */
export const MIN_CPUS = 2

/**
 * Below this the two nodes share fewer than kubeadm's 2 CPUs each: they still start (CPU is
 * shared, not reserved), but slower, so the steps' time limits (`kind create cluster --wait
 * 120s`, `kubectl rollout status --timeout=120s`) may run out. A warning, not a failure.
 */
export const COMFORTABLE_CPUS = CLUSTERS * MIN_CPUS

/**
 * kubeadm's preflight floor for a control-plane machine, `ControlPlaneMem = 1700` (MiB of the
 * kernel's total RAM), which is how kubeadm holds a machine to the documented "2 GB or more of RAM
 * per machine": a "2 GB" VM reports a little less than 2 GiB. Docker's MemTotal is the same
 * figure (the engine's kernel's total RAM), and the two nodes share that kernel.
 */
export const MIN_MEMORY_PER_NODE = 1700 * MiB
export const MIN_MEMORY = CLUSTERS * MIN_MEMORY_PER_NODE

/**
 * Free disk, an ESTIMATE (nothing here has run on a real cluster): per cluster, the node's /var is
 * a fresh volume (kind `--volume /var`) that Docker fills with the node image's /var, where the
 * image keeps the Kubernetes images it preloads; then the Linkerd and demo images again inside
 * the node, etcd, logs: about 2 GiB. Images not yet pulled into Docker: the node image about
 * 1 GiB unpacked (kind's own offline docs list a node image at 1.23 GB), each other image at most
 * about 0.1 GiB.
 */
export const DISK_PER_CLUSTER = 2 * GiB
export const DISK_NODE_IMAGE = 1 * GiB
export const DISK_OTHER_IMAGE = 0.1 * GiB

export function gib(bytes: number): string {
  return `${(bytes / GiB).toFixed(1)} GiB`
}

/** Sizes as `docker image ls` shows them (decimal units). */
export function decimalSize(bytes: number): string {
  if (bytes >= 1e9)
    return `${(bytes / 1e9).toFixed(2)} GB`
  if (bytes >= 1e6)
    return `${(bytes / 1e6).toFixed(1)} MB`
  if (bytes >= 1e3)
    return `${(bytes / 1e3).toFixed(1)} kB`
  return `${bytes} B`
}
