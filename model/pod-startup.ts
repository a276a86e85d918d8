// A meshed pod's start, step by step, for the four layouts Linkerd 2.20 can give it: the
// rules written by linkerd-init or by the CNI plugin, the proxy as a classic or a native
// sidecar. Every layout has the same eight steps, so the ones that differ line up.

export type FirewallSetup = 'linkerd-init' | 'cni'
export type SidecarMode = 'native' | 'classic'

export interface StartupVariant {
  firewall: FirewallSetup
  sidecar: SidecarMode
}

export const DEFAULT_VARIANT: StartupVariant = { firewall: 'linkerd-init', sidecar: 'native' }

/** The four layouts, in the order the slides compare them: classic first, as Linkerd had it. */
export const ALL_VARIANTS: readonly StartupVariant[] = [
  { firewall: 'linkerd-init', sidecar: 'classic' },
  { firewall: 'cni', sidecar: 'classic' },
  DEFAULT_VARIANT,
  { firewall: 'cni', sidecar: 'native' },
]

export const ACTORS = [
  { id: 'api-server', label: 'API server' },
  { id: 'injector', label: 'proxy injector' },
  { id: 'scheduler', label: 'scheduler' },
  { id: 'kubelet', label: 'kubelet' },
  { id: 'containerd', label: 'containerd' },
  { id: 'cni', label: 'CNI chain' },
  { id: 'init', label: 'init containers' },
  { id: 'proxy', label: 'linkerd-proxy' },
  { id: 'app', label: 'app' },
] as const

export type ActorId = typeof ACTORS[number]['id']

/** What an application's own init container can reach while it runs. */
export type InitContainerNetwork = 'unmeshed' | 'tcp-refused' | 'meshed'

export interface StartupStep {
  actors: ActorId[]
  title: string
  detail: string
  /** Set on the step where the app's init containers run. */
  appInitNetwork?: InitContainerNetwork
}

export const INIT_NETWORK_LABELS: Record<InitContainerNetwork, string> = {
  'unmeshed': 'Their connections work but bypass the mesh: no rules exist yet.',
  'tcp-refused': 'Their outbound TCP is refused: redirected to 4140, where no proxy listens yet. DNS over UDP, loopback and UID 2102 still get through.',
  'meshed': 'Their connections are meshed: the rules exist and the proxy is ready.',
}

/** Where the injector leaves each container, as the "Four pod layouts" slide lists them. */
export interface PodLayout {
  initContainers: string[]
  containers: string[]
}

export const APP_INITS = 'app\'s inits'

/** The init container that writes the rules (linkerd-init) or checks the plugin's (the validator). */
function rulesContainer(firewall: FirewallSetup): string {
  return firewall === 'cni' ? 'linkerd-network-validator' : 'linkerd-init'
}

export function podLayout({ firewall, sidecar }: StartupVariant): PodLayout {
  const rules = rulesContainer(firewall)
  return sidecar === 'native'
    ? {
        initContainers: [rules, 'linkerd-proxy', APP_INITS],
        containers: ['app'],
      }
    : {
        initContainers: [APP_INITS, rules],
        containers: ['linkerd-proxy', 'app'],
      }
}

function admission({ firewall, sidecar }: StartupVariant): StartupStep {
  const firstInit = rulesContainer(firewall)
  return {
    actors: ['api-server', 'injector'],
    title: 'Admission: the injector patches the pod',
    detail: sidecar === 'native'
      ? `${firstInit} and linkerd-proxy (restartPolicy: Always) go to the front of initContainers.`
      : `${firstInit} is appended to initContainers; linkerd-proxy becomes containers[0], with a postStart hook.`,
  }
}

function network({ firewall }: StartupVariant): StartupStep {
  return {
    actors: ['containerd', 'cni'],
    title: firewall === 'cni' ? 'CNI chain: eth0, IP, then linkerd-cni' : 'CNI chain: eth0 and IP',
    detail: firewall === 'cni'
      ? 'The cluster\'s plugin wires eth0; linkerd-cni, chained after it, writes the nat rules into the pod\'s netns from the node.'
      : 'The cluster\'s plugin wires eth0 and assigns the pod IP. No mesh rules exist yet.',
  }
}

function rulesOrCheck({ firewall }: StartupVariant): StartupStep {
  return firewall === 'cni'
    ? {
        actors: ['init'],
        title: 'The network validator checks the rules',
        detail: 'It connects out and must land on its own listener on 4140; if not, it exits 95 and the pod never starts.',
      }
    : {
        actors: ['init'],
        title: 'linkerd-init writes the nat rules',
        detail: 'With NET_ADMIN and NET_RAW, from inside the pod: inbound TCP to 4143, outbound TCP to 4140. Then it exits.',
      }
}

function appInits(variant: StartupVariant): StartupStep {
  const reach: InitContainerNetwork = variant.sidecar === 'native'
    ? 'meshed'
    : variant.firewall === 'cni' ? 'tcp-refused' : 'unmeshed'
  return {
    actors: ['init'],
    title: 'The app\'s init containers run',
    detail: INIT_NETWORK_LABELS[reach],
    appInitNetwork: reach,
  }
}

function proxyStarts({ sidecar }: StartupVariant): StartupStep {
  return sidecar === 'native'
    ? {
        actors: ['kubelet', 'proxy'],
        title: 'The proxy starts as a sidecar',
        detail: 'The kubelet holds the next init container until the startupProbe on :4191/ready passes (1 s period, 120 tries).',
      }
    : {
        actors: ['kubelet', 'proxy'],
        title: 'The proxy starts first in containers',
        detail: 'Its postStart hook runs linkerd-await; the kubelet starts the app only when the hook returns (up to 2 min).',
      }
}

function appStarts({ sidecar }: StartupVariant): StartupStep {
  return {
    actors: ['app'],
    title: 'The app starts',
    detail: sidecar === 'native'
      ? 'Its traffic is meshed from the first packet; at the end, the proxy stops after the app.'
      : 'Its traffic is meshed from the first packet; a Job\'s pod will not complete while the proxy runs.',
  }
}

const SCHEDULE: StartupStep = {
  actors: ['scheduler', 'api-server'],
  title: 'The scheduler binds the pod to a node',
  detail: 'Only the stored, already patched spec is scheduled; the injector never sees this pod again.',
}

const SANDBOX: StartupStep = {
  actors: ['kubelet', 'containerd'],
  title: 'The kubelet asks for a sandbox',
  detail: 'RunPodSandbox: containerd creates and pins a new network namespace, runs the CNI chain in it (next), then starts the pause container.',
}

export function startupSteps(variant: StartupVariant): StartupStep[] {
  const middle = variant.sidecar === 'native'
    ? [rulesOrCheck(variant), proxyStarts(variant), appInits(variant)]
    : [appInits(variant), rulesOrCheck(variant), proxyStarts(variant)]
  return [admission(variant), SCHEDULE, SANDBOX, network(variant), ...middle, appStarts(variant)]
}

/** For each step, whether it says something different from the default layout's step. */
export function differencesFromDefault(variant: StartupVariant): boolean[] {
  const reference = startupSteps(DEFAULT_VARIANT)
  return startupSteps(variant).map((step, i) => {
    const other = reference[i]
    return !other || other.title !== step.title || other.detail !== step.detail
  })
}

export function variantLabel({ firewall, sidecar }: StartupVariant): string {
  return `${firewall === 'cni' ? 'CNI plugin' : 'linkerd-init'} · ${sidecar} sidecar`
}
