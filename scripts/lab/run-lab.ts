import type { ResultPromise } from 'execa'
import type { Buffer } from 'node:buffer'
import type { RuleSet } from '../../model/firewall/rule-set'
import type { RuleSource } from '../../model/firewall/traffic-cases'
import type { ListenerSpec } from './agent'
import type { LabCase, Observation } from './lab-cases'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { describeOutcome } from '../../model/firewall/describe'
import { POD_IP } from '../../model/firewall/traffic-cases'
import { agrees, describeObservation, GATEWAY, labCases, remoteAddresses, remoteListeners, VALIDATOR_TARGET } from './lab-cases'
import { buildTopology, destroyTopology, NODE_NS, POD_NS } from './topology'

// One pass of the lab in one iptables mode: build the namespaces, restore each rule set into
// the pod namespace with the real iptables-<mode>-restore, run every case, compare.

export type IptablesMode = 'nft' | 'legacy'

export interface LabRow {
  id: string
  label: string
  rules: RuleSource
  predicted: string
  observed: string
  agrees: boolean
}

const agentPath = fileURLToPath(new URL('./agent.ts', import.meta.url))

/** `ip netns exec` arguments that run the lab agent inside `ns`, on this same Node. */
function agentArgs(ns: string, command: string, options: unknown): string[] {
  return [
    'netns',
    'exec',
    ns,
    process.execPath,
    '--import',
    import.meta.resolve('tsx'),
    agentPath,
    command,
    JSON.stringify(options),
  ]
}

function agent(ns: string, command: string, options: unknown) {
  return execa('ip', agentArgs(ns, command, options), { reject: false, timeout: 20_000 })
}

interface RunningListeners {
  // Wrapped: an execa process is a thenable, and an async function returning it would wait for it to exit.
  process: ResultPromise
}

async function startListeners(ns: string, specs: readonly ListenerSpec[]): Promise<RunningListeners | undefined> {
  if (specs.length === 0)
    return undefined
  const child = execa('ip', agentArgs(ns, 'listen', specs), { reject: false, buffer: false })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`listeners in ${ns} did not start`)), 15_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk))
  })
  return { process: child }
}

async function stop(listeners: RunningListeners | undefined): Promise<void> {
  if (!listeners)
    return
  listeners.process.kill('SIGTERM')
  await listeners.process
}

export async function restoreRules(mode: IptablesMode, saveDump: string): Promise<void> {
  const result = await execa('ip', ['netns', 'exec', POD_NS, `iptables-${mode}-restore`], {
    input: saveDump,
    reject: false,
  })
  if (result.exitCode !== 0)
    throw new Error(`iptables-${mode}-restore in ${POD_NS}: ${result.stderr.trim()}`)
}

async function observe(labCase: LabCase): Promise<Observation> {
  const { action } = labCase
  if (action.kind === 'validator') {
    const result = await agent(POD_NS, 'validator', {
      port: 4140,
      host: VALIDATOR_TARGET.host,
      targetPort: VALIDATOR_TARGET.port,
      uid: action.uid,
    })
    const parsed = JSON.parse(result.stdout.trim().split('\n').at(-1) || '{"kind":"error"}') as { kind: string, echoed?: boolean }
    if (parsed.kind === 'answered') {
      return {
        kind: parsed.echoed ? 'echoed' : 'not-echoed',
      }
    }
    return parsed.kind === 'refused' || parsed.kind === 'timeout'
      ? { kind: parsed.kind }
      : { kind: 'error', code: result.stderr.trim() || 'validator failed' }
  }
  const ns = action.from === 'pod' ? POD_NS : NODE_NS
  const result = await agent(ns, 'connect', {
    host: action.host,
    port: action.port,
    uid: action.uid,
    localAddress: action.localAddress,
  })
  if (result.exitCode !== 0)
    return { kind: 'error', code: result.stderr.trim().split('\n').at(-1) ?? `exit ${result.exitCode}` }
  const observed = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Observation
  if (observed.kind === 'answered' && observed.clientPort) {
    const original = await originalDestination(observed.clientPort)
    if (original)
      observed.originalDestination = original
  }
  return observed
}

/**
 * The destination the connection was opened to, before any REDIRECT: the first dst= and dport=
 * of its conntrack entry in the pod namespace (what a proxy reads with SO_ORIGINAL_DST).
 * Undefined when conntrack(8) isn't installed.
 */
async function originalDestination(clientPort: number): Promise<string | undefined> {
  const result = await execa('ip', [
    'netns',
    'exec',
    POD_NS,
    'conntrack',
    '-L',
    '-p',
    'tcp',
    '--orig-port-src',
    String(clientPort),
  ], { reject: false })
  return parseOriginalDestination(result.stdout)
}

export function parseOriginalDestination(conntrackOutput: string): string | undefined {
  const line = conntrackOutput.split('\n').find(l => l.startsWith('tcp'))
  const dst = line ? /\bdst=(\S+)/.exec(line)?.[1] : undefined
  const dport = line ? /\bdport=(\d+)/.exec(line)?.[1] : undefined
  return dst && dport ? `${dst}:${dport}` : undefined
}

/**
 * Runs every case in one mode. `kernelRules` (iptables-save text) go into the kernel; `modelRules` are what the
 * model predicts from (the same, unless a test hands the model a deliberately wrong set).
 */
export async function runLabPass(mode: IptablesMode, kernelRules: Record<RuleSource, string>, modelRules: Record<RuleSource, RuleSet>, progress: (line: string) => void): Promise<LabRow[]> {
  const cases = labCases()
  const rows: LabRow[] = []
  await buildTopology({
    podAddress: POD_IP,
    gateway: GATEWAY,
    prefixLength: 24,
    remoteHosts: remoteAddresses(cases),
  })
  const remote = await startListeners(NODE_NS, remoteListeners(cases))
  try {
    for (const rules of ['linkerd-init', 'linkerd-cni'] as const) {
      await restoreRules(mode, kernelRules[rules])
      for (const labCase of cases.filter(c => c.rules === rules)) {
        const listeners = await startListeners(POD_NS, labCase.podListeners)
        let observed: Observation
        try {
          observed = await observe(labCase)
        }
        finally {
          await stop(listeners)
        }
        const predicted = labCase.predict(modelRules)
        const row = {
          id: labCase.id,
          label: labCase.label,
          rules,
          predicted: describeOutcome(predicted),
          observed: describeObservation(observed),
          agrees: agrees(predicted, observed, labCase.action.kind === 'connect'
            ? `${labCase.action.host}:${labCase.action.port}`
            : undefined),
        }
        rows.push(row)
        progress(`${mode} ${row.agrees ? 'agree   ' : 'DISAGREE'} ${row.label}: model ${row.predicted}; kernel ${row.observed}`)
      }
    }
  }
  finally {
    await stop(remote)
    await destroyTopology()
  }
  return rows
}
