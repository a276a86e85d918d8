import type { Connection, Journey, Listener, PodNetwork } from './connection'
import type { RuleSet } from './rule-set'
import { followConnection } from './connection'
import { finalNatTable, parseLinkerdInitLog } from './linkerd-init-log'
import { LINKERD_CNI_DEFAULTS, proxyInitCommands } from './proxy-init-commands'
import { applyCommands } from './rule-set'

// The connections the deck walks through the rules. Addresses are examples in kind's default
// ranges: pods in 10.244.0.0/16, Services in 10.96.0.0/16.

export type RuleSource = 'linkerd-init' | 'linkerd-cni'

export const POD_IP = '10.244.0.7'
export const APP_PORT = 8080
export const PROXY_UID = 2102
export const APP_UID = 1000

const PROXY_LISTENERS: Listener[] = [
  { address: '0.0.0.0', port: 4143, owner: 'proxy inbound' },
  { address: '127.0.0.1', port: 4140, owner: 'proxy outbound' },
  { address: '0.0.0.0', port: 4191, owner: 'proxy admin' },
  { address: '0.0.0.0', port: 4190, owner: 'proxy control' },
]
const APP_LISTENER: Listener = { address: '0.0.0.0', port: APP_PORT, owner: 'app' }

export type PodPhase = 'running' | 'init-before-proxy'

export function podNetwork(phase: PodPhase): PodNetwork {
  return {
    podIp: POD_IP,
    listeners: phase === 'running' ? [...PROXY_LISTENERS, APP_LISTENER] : [],
  }
}

export interface TrafficCase {
  id: string
  /** `Group: case`, short enough for a row of a table. */
  label: string
  /** The button's text within its group, when the label's part after the colon won't do. */
  choice?: string
  rules: RuleSource
  phase: PodPhase
  connection: Connection
}

const SERVICE = '10.96.112.40'
const PEER_POD = '10.244.0.12'

export const TRAFFIC_CASES: readonly TrafficCase[] = [
  {
    id: 'inbound-app',
    label: 'In: to the app, :8080',
    rules: 'linkerd-init',
    phase: 'running',
    connection: {
      origin: { from: 'outside', source: PEER_POD, who: 'another pod' },
      destination: POD_IP,
      port: APP_PORT,
    },
  },
  {
    id: 'inbound-admin',
    label: 'In: kubelet probe, :4191',
    rules: 'linkerd-init',
    phase: 'running',
    connection: {
      origin: { from: 'outside', source: '10.244.0.1', who: 'the kubelet' },
      destination: POD_IP,
      port: 4191,
    },
  },
  {
    id: 'outbound-app',
    label: 'Out: app to a Service',
    rules: 'linkerd-init',
    phase: 'running',
    connection: {
      origin: { from: 'inside', uid: APP_UID, who: 'the app' },
      destination: SERVICE,
      port: 80,
    },
  },
  {
    id: 'outbound-proxy',
    label: 'Out: the proxy (UID 2102)',
    rules: 'linkerd-init',
    phase: 'running',
    connection: {
      origin: { from: 'inside', uid: PROXY_UID, who: 'the proxy' },
      destination: PEER_POD,
      port: APP_PORT,
    },
  },
  {
    id: 'localhost',
    label: 'Out: app to localhost',
    rules: 'linkerd-init',
    phase: 'running',
    connection: {
      origin: { from: 'inside', uid: APP_UID, who: 'the app' },
      destination: '127.0.0.1',
      port: APP_PORT,
    },
  },
  {
    id: 'ignored-port',
    label: 'Out: to a skipped port, :4567',
    rules: 'linkerd-init',
    phase: 'running',
    connection: {
      origin: { from: 'inside', uid: APP_UID, who: 'the app' },
      destination: '10.96.50.7',
      port: 4567,
    },
  },
  {
    id: 'cni-init-container',
    label: 'CNI, classic: app init container',
    rules: 'linkerd-cni',
    phase: 'init-before-proxy',
    connection: {
      origin: { from: 'inside', uid: APP_UID, who: 'an app init container' },
      destination: SERVICE,
      port: 80,
    },
  },
  {
    id: 'cni-init-container-as-proxy-uid',
    label: 'CNI, classic: same, as UID 2102',
    choice: 'init container as UID 2102',
    rules: 'linkerd-cni',
    phase: 'init-before-proxy',
    connection: {
      origin: { from: 'inside', uid: PROXY_UID, who: 'an app init container' },
      destination: SERVICE,
      port: 80,
    },
  },
]

/**
 * The two rule sets the deck uses: linkerd-init's, read from its logged iptables-save output
 * (the fixture), and linkerd-cni's, built from its chart defaults by proxy-init's own logic.
 */
export function ruleSetsFromLog(linkerdInitLog: string, source = 'linkerd-init log'): Record<RuleSource, RuleSet> {
  return {
    'linkerd-init': finalNatTable(parseLinkerdInitLog(linkerdInitLog, source), source),
    'linkerd-cni': applyCommands(proxyInitCommands(LINKERD_CNI_DEFAULTS), 'linkerd-cni defaults'),
  }
}

export function runCase(ruleSets: Record<RuleSource, RuleSet>, trafficCase: TrafficCase): Journey {
  return followConnection(ruleSets[trafficCase.rules], podNetwork(trafficCase.phase), trafficCase.connection)
}
