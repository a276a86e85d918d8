import type { InitContainerNetwork, StartupVariant } from './pod-startup'
import { LINKERD_INIT_DEFAULTS } from './firewall/proxy-init-commands'
import { podNetwork } from './firewall/traffic-cases'
import { ALL_VARIANTS, DEFAULT_VARIANT, podLayout, startupSteps } from './pod-startup'

// The one-page cheat sheet (the appendix's "Cheat sheet" slide, and `npm run export:cheat-sheet`):
// what an attendee needs at the desk when a meshed pod won't start. Layouts, ports and the UID
// come from the models the slides draw; the annotation names are held to the snippet checker's
// list of Linkerd 2.20 keys by test/unit/cheat-sheet.test.ts; the checklist is
// snippets/troubleshooting/checklist.sh itself. Sources: SOURCES.md, parts 3 to 7 and the appendix.

export interface CheatSheetLayout {
  label: string
  isDefault: boolean
  initContainers: string[]
  containers: string[]
  /** What the app's own init containers get over TCP. */
  appInits: InitContainerNetwork
}

export const APP_INIT_SHORT: Record<InitContainerNetwork, string> = {
  'unmeshed': 'work, unmeshed',
  'tcp-refused': 'TCP refused, UDP ok',
  'meshed': 'meshed',
}

function isDefault(variant: StartupVariant): boolean {
  return variant.firewall === DEFAULT_VARIANT.firewall && variant.sidecar === DEFAULT_VARIANT.sidecar
}

export function cheatSheetLayouts(): CheatSheetLayout[] {
  return ALL_VARIANTS.map((variant) => {
    const layout = podLayout(variant)
    return {
      label: `${variant.sidecar} · ${variant.firewall === 'cni' ? 'CNI plugin' : 'linkerd-init'}`,
      isDefault: isDefault(variant),
      initContainers: layout.initContainers,
      containers: layout.containers,
      appInits: startupSteps(variant).find(step => step.appInitNetwork)!.appInitNetwork!,
    }
  })
}

export interface CheatSheetPort {
  port: number
  role: string
  listensOn: string
}

const PORT_ROLES: Record<string, string> = {
  'proxy inbound': 'inbound',
  'proxy outbound': 'outbound',
  'proxy admin': 'admin: /live, /ready',
  'proxy control': 'control',
}

/** The proxy's listeners in a running pod, as the packet-path model has them. */
export function proxyPorts(): CheatSheetPort[] {
  return podNetwork('running').listeners.filter(listener => listener.owner in PORT_ROLES).map(listener => ({
    port: listener.port,
    role: PORT_ROLES[listener.owner]!,
    listensOn: listener.address === '127.0.0.1' ? '127.0.0.1 only' : listener.address,
  }))
}

/** The proxy's UID, which the rules exempt (linkerd-init's and linkerd-cni's defaults agree). */
export const PROXY_UID = LINKERD_INIT_DEFAULTS.proxyUid
/** linkerd-init and linkerd-network-validator run as nobody (`_proxy-init.tpl`, `_network-validator.tpl`). */
export const INIT_UID = 65534

export interface CheatSheetExit {
  code: number
  who: string
  means: string
  fix: string
}

export const EXIT_CODES: readonly CheatSheetExit[] = [
  {
    code: 95,
    who: 'linkerd-network-validator',
    means: 'no redirect: the CNI plugin wrote no rules; Init:CrashLoopBackOff',
    fix: 'fix the CNI, then delete the pod (or the repair controller does)',
  },
  {
    code: 7,
    who: 'curl',
    means: 'could not connect. CNI + classic: an app init container finds no proxy on 4140',
    fix: 'native sidecars, or runAsUser 2102 (unmeshed)',
  },
]

export interface CheatSheetAnnotation {
  key: string
  value: string
  means: string
}

/** On a namespace or a pod template. Names as Linkerd 2.20 reads them (pkg/k8s/labels.go). */
export const ANNOTATIONS: readonly CheatSheetAnnotation[] = [
  { key: 'linkerd.io/inject', value: 'enabled', means: 'mesh it (or disabled, ingress); read at pod CREATE only' },
  { key: 'config.linkerd.io/proxy-enable-native-sidecar', value: '"false"', means: 'classic layout; the alpha and beta names are deprecated' },
  { key: 'config.linkerd.io/proxy-await', value: 'disabled', means: 'no postStart await, no startupProbe (default: enabled)' },
  { key: 'config.linkerd.io/skip-outbound-ports', value: '"5432"', means: 'whole pod: its traffic to 5432 bypasses the proxy' },
  { key: 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds', value: '"N"', means: 'classic only: the proxy\'s SIGTERM comes N s later' },
]

export interface ChecklistItem {
  question: string
  /** The command, continuation lines included. */
  command: string[]
}

export interface Checklist {
  /** The script's own description, line 2. */
  intro: string
  items: ChecklistItem[]
}

/**
 * snippets/troubleshooting/checklist.sh as questions and commands: each `# ` comment asks a
 * question, the lines up to the next comment answer it.
 */
export function parseChecklist(script: string): Checklist {
  const lines = script.replace(/\n$/, '').split('\n')
  const body = lines[0]?.startsWith('#!') ? lines.slice(1) : lines
  const intro = body[0]?.startsWith('# ') ? body.shift()!.slice(2) : ''
  const items: ChecklistItem[] = []
  for (const line of body) {
    if (line.trim() === '')
      continue
    if (line.startsWith('# ')) {
      items.push({
        question: line.slice(2),
        command: [],
      })
    }
    else if (items.length) {
      items.at(-1)!.command.push(line)
    }
  }
  return {
    intro,
    items: items.filter(item => item.command.length),
  }
}
