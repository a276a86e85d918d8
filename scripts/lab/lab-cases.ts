import type { Listener, Outcome } from '../../model/firewall/connection'
import type { RuleSet } from '../../model/firewall/rule-set'
import type { RuleSource } from '../../model/firewall/traffic-cases'
import type { ConnectResult, ListenerSpec } from './agent'
import { followConnection, isLocalAddress } from '../../model/firewall/connection'
import { POD_IP, podNetwork, TRAFFIC_CASES } from '../../model/firewall/traffic-cases'

// Every traffic case of the packet-path slide, plus the validator's trick and the start-up
// ordering sequence, as things the lab can do for real, each with the model's prediction.

/** linkerd-network-validator's default target is 1.1.1.1:20001; the chart's networkValidator.connectAddr changes it, and the lab points it at a test host of its own. */
export const VALIDATOR_TARGET = { host: '10.96.200.1', port: 20001 }
/** The validator's UID and listener (charts/partials/templates/_network-validator.tpl, 2.20). */
export const VALIDATOR_UID = 65534
export const VALIDATOR_LISTENER: Listener = { address: '0.0.0.0', port: 4140, owner: 'validator' }
export const REMOTE_OWNER = 'remote host'
export const GATEWAY = '10.244.0.1'

export type LabAction
  = | { kind: 'connect', from: 'pod' | 'node', uid?: number, host: string, port: number, localAddress?: string }
    | { kind: 'validator', uid: number }

export interface LabCase {
  id: string
  label: string
  rules: RuleSource
  podListeners: Listener[]
  action: LabAction
  predict: (ruleSets: Record<RuleSource, RuleSet>) => Outcome
}

export type Observation = ConnectResult | { kind: 'echoed' } | { kind: 'not-echoed' }

const PROXY_OUTBOUND: Listener = { address: '127.0.0.1', port: 4140, owner: 'proxy outbound' }

export function labCases(): LabCase[] {
  const fromModel: LabCase[] = TRAFFIC_CASES.map((trafficCase) => {
    const { origin, destination, port } = trafficCase.connection
    const action: LabAction = origin.from === 'outside'
      ? {
          kind: 'connect',
          from: 'node',
          host: destination,
          port,
          localAddress: origin.source,
        }
      : {
          kind: 'connect',
          from: 'pod',
          uid: origin.uid,
          host: destination,
          port,
        }
    return {
      id: trafficCase.id,
      label: trafficCase.label,
      rules: trafficCase.rules,
      podListeners: podNetwork(trafficCase.phase).listeners,
      action,
      predict: ruleSets => followConnection(ruleSets[trafficCase.rules], podNetwork(trafficCase.phase), trafficCase.connection).outcome,
    }
  })
  const service = TRAFFIC_CASES.find(c => c.id === 'cni-init-container')!.connection
  return [
    ...fromModel,
    {
      id: 'validator',
      label: 'Validator: out, and back to itself',
      rules: 'linkerd-cni',
      podListeners: [],
      action: { kind: 'validator', uid: VALIDATOR_UID },
      predict: ruleSets => followConnection(ruleSets['linkerd-cni'], {
        podIp: POD_IP,
        listeners: [VALIDATOR_LISTENER],
      }, {
        origin: { from: 'inside', uid: VALIDATOR_UID, who: 'the validator' },
        destination: VALIDATOR_TARGET.host,
        port: VALIDATOR_TARGET.port,
      }).outcome,
    },
    {
      id: 'ordering-listener-up',
      label: 'CNI, classic: init container, 4140 listening',
      rules: 'linkerd-cni',
      podListeners: [PROXY_OUTBOUND],
      action: {
        kind: 'connect',
        from: 'pod',
        uid: 1000,
        host: service.destination,
        port: service.port,
      },
      predict: ruleSets => followConnection(ruleSets['linkerd-cni'], {
        podIp: POD_IP,
        listeners: [PROXY_OUTBOUND],
      }, service).outcome,
    },
  ]
}

/** The remote test hosts every case may reach: listeners in the node namespace. */
/** The pod-side connections that leave the pod: each needs a test host in the node namespace. */
function outboundTargets(cases: readonly LabCase[]): { host: string, port: number }[] {
  const pod = podNetwork('running')
  return cases.flatMap(c => (c.action.kind === 'connect' && c.action.from === 'pod' && !isLocalAddress(c.action.host, pod)
    ? [{ host: c.action.host, port: c.action.port }]
    : []))
}

export function remoteListeners(cases: readonly LabCase[]): ListenerSpec[] {
  const seen = new Map<string, ListenerSpec>()
  for (const { host, port } of outboundTargets(cases))
    seen.set(`${host}:${port}`, { address: host, port, owner: REMOTE_OWNER })
  return [...seen.values()]
}

/** Every address the node namespace must own: the test hosts and the sources of inbound cases. */
export function remoteAddresses(cases: readonly LabCase[]): string[] {
  const sources = cases.flatMap(c => (c.action.kind === 'connect' && c.action.localAddress
    ? [c.action.localAddress]
    : []))
  const addresses = new Set([VALIDATOR_TARGET.host, ...outboundTargets(cases).map(t => t.host), ...sources])
  addresses.delete(GATEWAY)
  return [...addresses].sort()
}

/**
 * Whether the kernel did what the model predicted. When conntrack could tell the connection's
 * original destination (what a proxy reads with SO_ORIGINAL_DST), it must be what was dialed.
 */
export function agrees(predicted: Outcome, observed: Observation, dialed?: string): boolean {
  if (observed.kind === 'answered' && observed.originalDestination && dialed && observed.originalDestination !== dialed)
    return false
  switch (predicted.kind) {
    case 'delivered':
      if (predicted.listener.owner === VALIDATOR_LISTENER.owner)
        return observed.kind === 'echoed'
      return observed.kind === 'answered' && observed.answer.owner === predicted.listener.owner
        && observed.answer.address === predicted.address && observed.answer.port === predicted.port
    case 'leaves-pod':
      return observed.kind === 'answered' && observed.answer.owner === REMOTE_OWNER
        && observed.answer.address === predicted.address && observed.answer.port === predicted.port
    case 'refused':
      return observed.kind === 'refused'
    case 'dropped':
      return observed.kind === 'timeout'
  }
}

export function describeObservation(observed: Observation): string {
  switch (observed.kind) {
    case 'answered': {
      const landed = `${observed.answer.address}:${observed.answer.port}`
      const original = observed.originalDestination && observed.originalDestination !== landed
        ? `, dialed ${observed.originalDestination}`
        : ''
      return observed.answer.owner === REMOTE_OWNER
        ? `${REMOTE_OWNER} answered on ${landed}`
        : `${observed.answer.owner} on ${landed}${original}`
    }
    case 'echoed': return 'token came back to its own listener'
    case 'not-echoed': return 'answered, but not by its own listener'
    case 'refused': return 'refused'
    case 'timeout': return 'no answer (timed out)'
    case 'error': return `error ${observed.code}`
  }
}
