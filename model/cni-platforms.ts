// The CNIs and distributions attendees run, for the "Your CNI" overview table in part 5. Each
// entry has an appendix slide (layout `cni-platform`, `routeAlias: cni-<id>`) with the detail and
// the failure to expect; test/unit/cni-platforms.test.ts holds the two to each other. Sources:
// SOURCES.md, "Your CNI".

/** Whether linkerd-cni can append itself to this CNI's conflist. */
export type Chaining
  = | 'tested' // in linkerd-cni's own integration tests
    | 'defaults' // the default paths match; not in Linkerd's tests
    | 'settings' // works once the settings in `set` are made
    | 'unverified' // no source shows it working

export interface CniPlatform {
  id: string
  name: string
  /** The directory the conflist is read from (by the runtime, or by Multus on OpenShift), and the file's name where fixed. */
  conflist: string
  /** What to set on the Linkerd or the CNI side; empty when the defaults do. */
  set: string
  chaining: Chaining
}

export const CHAINING_LABELS: Record<Chaining, string> = {
  tested: 'yes, tested upstream',
  defaults: 'yes, default paths',
  settings: 'yes, with settings',
  unverified: 'unverified',
}

export const CNI_PLATFORMS: readonly CniPlatform[] = [
  {
    id: 'kindnet',
    name: 'kind (kindnet)',
    conflist: '/etc/cni/net.d/10-kindnet.conflist',
    set: '',
    chaining: 'defaults',
  },
  {
    id: 'cilium',
    name: 'Cilium',
    conflist: '/etc/cni/net.d/05-cilium.conflist',
    set: 'Cilium: cni.exclusive=false',
    chaining: 'settings',
  },
  {
    id: 'calico',
    name: 'Calico',
    conflist: '/etc/cni/net.d/10-calico.conflist',
    set: '',
    chaining: 'tested',
  },
  {
    id: 'eks',
    name: 'EKS (AWS VPC CNI)',
    conflist: '/etc/cni/net.d/10-aws.conflist',
    set: 'repairController.enabled',
    chaining: 'defaults',
  },
  {
    id: 'aks',
    name: 'AKS (Azure CNI)',
    conflist: '/etc/cni/net.d/10-azure.conflist',
    set: '',
    chaining: 'unverified',
  },
  {
    id: 'gke',
    name: 'GKE Standard',
    conflist: '/etc/cni/net.d',
    set: 'destCNIBinDir (not DPv2)',
    chaining: 'settings',
  },
  {
    id: 'k3s',
    name: 'k3s, k3d (flannel)',
    conflist: '/var/lib/rancher/k3s/agent/etc/cni/net.d',
    set: 'destCNINetDir, destCNIBinDir',
    chaining: 'settings',
  },
  {
    id: 'openshift',
    name: 'OpenShift (Multus)',
    conflist: '/var/run/multus/cni/net.d',
    set: 'both dirs, SCC, privileged',
    chaining: 'unverified',
  },
]

/** The route alias of a platform's appendix slide. */
export function cniSlideAlias(platform: Pick<CniPlatform, 'id'>): string {
  return `cni-${platform.id}`
}
