import type { Listener, Outcome } from '../../model/firewall/connection'
import type { RuleSet } from '../../model/firewall/rule-set'
import type { CniCall } from './cni-log'
import { followConnection } from '../../model/firewall/connection'
import { describeOutcome } from '../../model/firewall/describe'
import { APP_UID, PROXY_UID } from '../../model/firewall/traffic-cases'
import { SERVICE } from './layout'

// The lab's five cases, as the kubelet would drive the CRI for each pod, with the claim each
// proves and how to judge what the runtime did. Pure: the runner (run-cases.ts) carries out the
// steps and collects the facts; `judge` reads them.

export type Step
  = | { op: 'chain', withLinkerdCni: boolean }
    | { op: 'sandbox', pod: string, hostNetwork?: boolean }
    | { op: 'container', pod: string, name: string, role: 'init' | 'sidecar' | 'app', attempt: number, uid?: number, script: string, until: 'exited' | 'running' | 'listening-4140' }
    | { op: 'stop', pod: string, name: string, attempt: number }

export interface PodFacts {
  sandboxId: string
  /** Every CNI call the recording plugin logged for this sandbox. */
  cni: CniCall[]
  /** The pod's address from PodSandboxStatus, after each step that touched the pod. */
  ips: string[]
  /** Processes in the pod's network namespace, and PROXY_INIT rules in it, after the last step. */
  processesNow: number
  rulesNow: number
  /** `name#attempt` -> exit code, for containers that exited; and their logs. */
  exits: Record<string, number>
  logs: Record<string, string>
}

export type Facts = Record<string, PodFacts>

export interface Verdict { observed: string, agrees: boolean }

export interface SandboxCase {
  id: string
  claim: string
  /** Where the deck makes the claim (slide titles). */
  deck: string
  steps: Step[]
  predicted: string
  judge: (facts: Facts) => Verdict
}

const SLEEP = 'exec /bin/busybox sleep 2147483647'
/** Exit 0: answered by the stand-in proxy; 3: answered by the Service's backend; 1: no connection. */
const DIAL = `reply=$(echo hi | /bin/busybox nc -w 2 ${SERVICE.host} ${SERVICE.port}); echo "reply: $reply"; [ "$reply" = proxy ] && exit 0; [ -n "$reply" ] && exit 3; exit 1`
const STAND_IN_PROXY = 'exec /bin/busybox nc -ll -p 4140 -e /bin/busybox echo proxy'
export const STAND_IN_PROXY_LISTENER: Listener = { address: '0.0.0.0', port: 4140, owner: 'stand-in proxy' }

const adds = (pod: PodFacts | undefined) => (pod?.cni ?? []).filter(c => c.command === 'ADD')

function missing(facts: Facts, ...pods: string[]): Verdict | undefined {
  const absent = pods.filter(p => !facts[p])
  return absent.length > 0 ? { observed: `no facts for ${absent.join(', ')}`, agrees: false } : undefined
}

/** What the firewall model predicts for an init container's connection to the Service under linkerd-cni's rules. */
export function predictDial(linkerdCni: RuleSet, listeners: Listener[]): Outcome {
  return followConnection(linkerdCni, { podIp: '10.244.1.2', listeners }, {
    origin: { from: 'inside', uid: APP_UID, who: 'an init container' },
    destination: SERVICE.host,
    port: SERVICE.port,
  }).outcome
}

export function describeDial(exitCode: number | undefined, log: string): string {
  if (exitCode === 0)
    return 'answered by the stand-in proxy on :4140'
  if (exitCode === 3)
    return 'answered by the Service\'s backend: not redirected'
  if (exitCode === 1 && /Connection refused/.test(log))
    return 'refused'
  return `failed (exit ${exitCode ?? 'none'})`
}

function dialAgrees(predicted: Outcome, exitCode: number | undefined, log: string): boolean {
  if (predicted.kind === 'refused')
    return describeDial(exitCode, log) === 'refused'
  if (predicted.kind === 'delivered')
    return predicted.listener.owner === STAND_IN_PROXY_LISTENER.owner && exitCode === 0
  return predicted.kind === 'leaves-pod' && exitCode === 3
}

export function sandboxCases(linkerdCni: RuleSet): SandboxCase[] {
  const refused = predictDial(linkerdCni, [])
  const proxied = predictDial(linkerdCni, [STAND_IN_PROXY_LISTENER])
  return [
    {
      id: 'add-before-containers',
      claim: 'CNI ADD runs before any container of the pod exists',
      deck: 'Inside `RunPodSandbox` (containerd 2.x)',
      steps: [
        { op: 'chain', withLinkerdCni: false },
        { op: 'sandbox', pod: 'web' },
        {
          op: 'container',
          pod: 'web',
          name: 'app',
          role: 'app',
          attempt: 0,
          script: SLEEP,
          until: 'running',
        },
      ],
      predicted: 'one ADD, with no process in the new netns',
      judge: (facts) => {
        const pod = facts.web
        const added = adds(pod)
        return missing(facts, 'web') ?? {
          observed: `${added.length} ADD, ${added.map(a => a.processes).join(', ')} processes in the netns then; ${pod!.processesNow} once the pod ran`,
          agrees: added.length === 1 && added[0]!.processes === 0 && pod!.processesNow > 0,
        }
      },
    },
    {
      id: 'init-restart-same-sandbox',
      claim: 'a failing init container restarted in the same sandbox gets no new CNI ADD',
      deck: 'Init containers',
      steps: [
        { op: 'sandbox', pod: 'retry' },
        {
          op: 'container',
          pod: 'retry',
          name: 'init',
          role: 'init',
          attempt: 0,
          script: 'exit 95',
          until: 'exited',
        },
        {
          op: 'container',
          pod: 'retry',
          name: 'init',
          role: 'init',
          attempt: 1,
          script: 'exit 95',
          until: 'exited',
        },
      ],
      predicted: 'exits 95 twice, one ADD, the same IP',
      judge: (facts) => {
        const pod = facts.retry
        const ips = [...new Set(pod?.ips ?? [])]
        return missing(facts, 'retry') ?? {
          observed: `exits ${pod!.exits['init#0']} and ${pod!.exits['init#1']}, ${adds(pod).length} ADD, IP ${ips.join(' then ')}`,
          agrees: pod!.exits['init#0'] === 95 && pod!.exits['init#1'] === 95 && adds(pod).length === 1 && ips.length === 1 && ips[0] !== '',
        }
      },
    },
    {
      id: 'node-start-race',
      claim: 'a sandbox set up before linkerd-cni joined the chain never gets its rules; a new sandbox does',
      deck: 'The node-start race',
      steps: [
        { op: 'sandbox', pod: 'early' },
        {
          op: 'container',
          pod: 'early',
          name: 'app',
          role: 'app',
          attempt: 0,
          script: SLEEP,
          until: 'running',
        },
        { op: 'chain', withLinkerdCni: true },
        {
          op: 'stop',
          pod: 'early',
          name: 'app',
          attempt: 0,
        },
        {
          op: 'container',
          pod: 'early',
          name: 'app',
          role: 'app',
          attempt: 1,
          script: SLEEP,
          until: 'running',
        },
        { op: 'sandbox', pod: 'recreated' },
        {
          op: 'container',
          pod: 'recreated',
          name: 'app',
          role: 'app',
          attempt: 0,
          script: SLEEP,
          until: 'running',
        },
      ],
      predicted: 'old sandbox: 0 rules after a restart; new sandbox: the rules',
      judge: (facts) => {
        const early = facts.early
        const recreated = facts.recreated
        return missing(facts, 'early', 'recreated') ?? {
          observed: `old: ${adds(early).length} ADD, ${early!.rulesNow} PROXY_INIT rules after the restart; new: ${recreated!.rulesNow} rules`,
          agrees: adds(early).length === 1 && early!.rulesNow === 0 && adds(recreated).length === 1 && recreated!.rulesNow > 0,
        }
      },
    },
    {
      id: 'cni-ordering-trap',
      claim: 'with the rules in place at set-up, an init container\'s connection goes to 4140: refused until a native sidecar listens there',
      deck: 'Pitfall: an init container needs the network',
      steps: [
        { op: 'sandbox', pod: 'classic' },
        {
          op: 'container',
          pod: 'classic',
          name: 'init',
          role: 'init',
          attempt: 0,
          uid: APP_UID,
          script: DIAL,
          until: 'exited',
        },
        { op: 'sandbox', pod: 'sidecar' },
        {
          op: 'container',
          pod: 'sidecar',
          name: 'proxy',
          role: 'sidecar',
          attempt: 0,
          uid: PROXY_UID,
          script: STAND_IN_PROXY,
          until: 'listening-4140',
        },
        {
          op: 'container',
          pod: 'sidecar',
          name: 'init',
          role: 'init',
          attempt: 0,
          uid: APP_UID,
          script: DIAL,
          until: 'exited',
        },
      ],
      predicted: `no sidecar: ${describeOutcome(refused)}; sidecar first: ${describeOutcome(proxied)}`,
      judge: (facts) => {
        const classic = facts.classic
        const sidecar = facts.sidecar
        if (!classic || !sidecar)
          return missing(facts, 'classic', 'sidecar')!
        const first = [classic.exits['init#0'], classic.logs['init#0'] ?? ''] as const
        const second = [sidecar.exits['init#0'], sidecar.logs['init#0'] ?? ''] as const
        return {
          observed: `no sidecar: ${describeDial(...first)}; sidecar first: ${describeDial(...second)}`,
          agrees: dialAgrees(refused, ...first) && dialAgrees(proxied, ...second),
        }
      },
    },
    {
      id: 'host-network',
      claim: 'a hostNetwork sandbox gets no CNI call',
      deck: 'Inside `RunPodSandbox` (containerd 2.x)',
      steps: [
        { op: 'sandbox', pod: 'host', hostNetwork: true },
        {
          op: 'container',
          pod: 'host',
          name: 'app',
          role: 'app',
          attempt: 0,
          script: SLEEP,
          until: 'running',
        },
      ],
      predicted: 'no CNI call, no pod IP of its own',
      judge: (facts) => {
        const pod = facts.host
        return missing(facts, 'host') ?? {
          observed: `${pod!.cni.length} CNI calls, pod IP ${pod!.ips.at(-1) || 'none'}`,
          agrees: pod!.cni.length === 0 && (pod!.ips.at(-1) ?? '') === '',
        }
      },
    },
  ]
}

/** The CRI calls a step makes, in the kubelet's order, as the lab prints them. */
export function criCalls(step: Step): string[] {
  switch (step.op) {
    case 'chain':
      return [
        step.withLinkerdCni
          ? '(conflist: the stand-in linkerd-cni plugin joins the chain)'
          : '(conflist: ptp, host-local, portmap, recorder)',
      ]
    case 'sandbox':
      return [`RunPodSandbox ${step.pod}${step.hostNetwork ? ' (hostNetwork)' : ''}`]
    case 'container':
      return [
        `CreateContainer ${step.pod}/${step.name} (${step.role}, attempt ${step.attempt}${step.uid === undefined
          ? ''
          : `, UID ${step.uid}`})`,
        `StartContainer ${step.pod}/${step.name}`,
      ]
    case 'stop':
      return [`StopContainer ${step.pod}/${step.name} (attempt ${step.attempt})`]
  }
}
