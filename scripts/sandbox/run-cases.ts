import type { Facts, SandboxCase, Step } from './cases'
import type { CniCall } from './cni-log'
import type { Node } from './node-env'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { execa } from 'execa'
import { criCalls } from './cases'
import { callsFor, parseCniLog } from './cni-log'
import { processesIn, proxyInitRulesIn } from './cni-plugin'
import { IMAGE, layout } from './layout'

// Carries out each case's steps against the lab's containerd, as the kubelet would, and prints
// each CRI call with what the runtime and the CNI chain did at that moment.

export interface CaseResult {
  id: string
  claim: string
  deck: string
  predicted: string
  observed: string
  agrees: boolean
}

interface Pod {
  sandboxId: string
  config: object
  hostNetwork: boolean
  ips: string[]
  exits: Record<string, number>
  logs: Record<string, string>
  containers: Record<string, string>
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

function readCalls(): CniCall[] {
  return parseCniLog(readFileSync(layout.cniLog, 'utf8'), layout.cniLog)
}

export function describeCalls(calls: readonly CniCall[]): string {
  if (calls.length === 0)
    return 'no CNI call'
  return calls.map(c => `CNI ${c.command} (${c.processes} processes in its netns, ${c.proxyInitRules} PROXY_INIT rules${c.ip
    ? `, IP ${c.ip}`
    : ''})`).join('; ')
}

/** The CRI log format is `time stream tag message`; only the messages matter here. */
export function criLogMessages(text: string): string {
  return text.split('\n').filter(Boolean).map(line => line.split(' ').slice(3).join(' ')).join('\n')
}

async function listening4140(netns: string): Promise<boolean> {
  // busybox nc listens on the IPv6 wildcard, which takes IPv4 connections too: look in both tables.
  const tcp = await execa('nsenter', [
    `--net=${netns}`,
    'cat',
    '/proc/net/tcp',
    '/proc/net/tcp6',
  ], { reject: false })
  return tcp.stdout.split('\n').some(line => /^\s*\d+: [0-9A-F]+:102C [0-9A-F]+:0000 0A /.test(line))
}

export class CaseRunner {
  private pods: Record<string, Pod> = {}
  constructor(private node: Node, private print: (line: string) => void) {}

  private netnsOf(pod: Pod): string {
    return callsFor(readCalls(), pod.sandboxId, 'ADD')[0]?.netns ?? ''
  }

  private async ip(pod: Pod): Promise<string> {
    const status = await this.node.cri.PodSandboxStatus({ podSandboxId: pod.sandboxId })
    return String(status.status?.network?.ip ?? '')
  }

  private async waitFor(containerId: string, until: 'exited' | 'running' | 'listening-4140', netns: string) {
    const deadline = Date.now() + 20_000
    for (;;) {
      const { status } = await this.node.cri.ContainerStatus({ containerId })
      if (until === 'exited' && status.state === 'CONTAINER_EXITED')
        return status
      if (until === 'running' && status.state === 'CONTAINER_RUNNING')
        return status
      if (until === 'listening-4140' && status.state === 'CONTAINER_RUNNING' && await listening4140(netns))
        return status
      if (until !== 'exited' && status.state === 'CONTAINER_EXITED')
        throw new Error(`container ${containerId} exited (${status.exitCode}) instead of staying up`)
      if (Date.now() > deadline)
        throw new Error(`container ${containerId} did not reach ${until}: ${status.state}`)
      await sleep(50)
    }
  }

  private async step(step: Step): Promise<string> {
    switch (step.op) {
      case 'chain':
        await this.node.setConflist(step.withLinkerdCni)
        return 'containerd reloaded the conflist'
      case 'sandbox': {
        const config = {
          metadata: {
            name: step.pod,
            uid: `sbxlab-${step.pod}`,
            namespace: 'sbxlab',
            attempt: 0,
          },
          // The kubelet leaves the hostname out for a hostNetwork pod: it has no UTS namespace of its own.
          hostname: step.hostNetwork ? '' : step.pod,
          logDirectory: join(layout.podLogs, step.pod),
          linux: step.hostNetwork
            ? {
                securityContext: {
                  namespaceOptions: { network: 'NODE' },
                },
              }
            : {},
        }
        const { podSandboxId } = await this.node.cri.RunPodSandbox({ config })
        const pod: Pod = {
          sandboxId: podSandboxId,
          config,
          hostNetwork: !!step.hostNetwork,
          ips: [],
          exits: {},
          logs: {},
          containers: {},
        }
        this.pods[step.pod] = pod
        pod.ips.push(await this.ip(pod))
        return `sandbox ${podSandboxId.slice(0, 12)}, IP ${pod.ips.at(-1) || 'none'}`
      }
      case 'container': {
        const pod = this.pods[step.pod]!
        const key = `${step.name}#${step.attempt}`
        const logPath = `${step.name}_${step.attempt}.log`
        const securityContext = {
          ...(step.uid === undefined
            ? {}
            : {
                runAsUser: { value: step.uid },
              }),
          ...(pod.hostNetwork
            ? {
                namespaceOptions: { network: 'NODE' },
              }
            : {}),
        }
        const { containerId } = await this.node.cri.CreateContainer({
          podSandboxId: pod.sandboxId,
          config: {
            metadata: { name: step.name, attempt: step.attempt },
            image: { image: IMAGE },
            command: ['/bin/busybox', 'sh', '-c', step.script],
            logPath,
            linux: { securityContext },
          },
          sandboxConfig: pod.config,
        })
        pod.containers[key] = containerId
        await this.node.cri.StartContainer({ containerId })
        const status = await this.waitFor(containerId, step.until, this.netnsOf(pod))
        pod.ips.push(await this.ip(pod))
        if (step.until === 'exited') {
          pod.exits[key] = status.exitCode
          const file = join(layout.podLogs, step.pod, logPath)
          pod.logs[key] = existsSync(file) ? criLogMessages(readFileSync(file, 'utf8')) : ''
          const said = pod.logs[key].split('\n').filter(Boolean).at(-1)
          return `exited ${status.exitCode}${said ? ` ("${said}")` : ''}, IP ${pod.ips.at(-1) || 'none'}`
        }
        return step.until === 'running' ? 'running' : 'running, listening on 4140'
      }
      case 'stop': {
        const pod = this.pods[step.pod]!
        await this.node.cri.StopContainer({ containerId: pod.containers[`${step.name}#${step.attempt}`], timeout: 0 })
        return 'exited'
      }
    }
  }

  async run(sandboxCase: SandboxCase, number: number): Promise<CaseResult> {
    this.print(`\ncase ${number}: ${sandboxCase.claim}`)
    for (const step of sandboxCase.steps) {
      const before = readCalls().length
      const calls = criCalls(step)
      const outcome = await this.step(step)
      const cni = readCalls().slice(before)
      calls.slice(0, -1).forEach(call => this.print(`  ${call}`))
      this.print(`  ${calls.at(-1)!.padEnd(58)} -> ${outcome}; ${describeCalls(cni)}`)
    }
    const facts: Facts = {}
    const calls = readCalls()
    for (const name of new Set(sandboxCase.steps.flatMap(s => ('pod' in s ? [s.pod] : [])))) {
      const pod = this.pods[name]
      if (!pod)
        continue
      const netns = this.netnsOf(pod)
      facts[name] = {
        sandboxId: pod.sandboxId,
        cni: callsFor(calls, pod.sandboxId),
        ips: pod.ips,
        processesNow: netns ? processesIn(netns) : 0,
        rulesNow: netns ? proxyInitRulesIn(netns) : 0,
        exits: pod.exits,
        logs: pod.logs,
      }
    }
    const verdict = sandboxCase.judge(facts)
    this.print(`  => ${verdict.agrees ? 'agrees' : 'DIFFERS'}: predicted ${sandboxCase.predicted}; runtime ${verdict.observed}`)
    return {
      id: sandboxCase.id,
      claim: sandboxCase.claim,
      deck: sandboxCase.deck,
      predicted: sandboxCase.predicted,
      ...verdict,
    }
  }

  /** Stops and removes every sandbox, as the kubelet does when a pod goes: each gets its CNI DEL. */
  async removeAll(): Promise<void> {
    const before = readCalls().length
    for (const pod of Object.values(this.pods)) {
      await this.node.cri.StopPodSandbox({ podSandboxId: pod.sandboxId })
      await this.node.cri.RemovePodSandbox({ podSandboxId: pod.sandboxId })
    }
    const dels = readCalls().slice(before).filter(c => c.command === 'DEL')
    this.print(`\nStopPodSandbox, RemovePodSandbox for ${Object.keys(this.pods).length} pods -> ${dels.length} CNI DEL calls`)
    this.pods = {}
  }
}
