// What the recording CNI plugin writes, one JSON object a line, and how the lab reads it back.

export type CniCommand = 'ADD' | 'DEL' | 'CHECK'

export interface CniCall {
  command: CniCommand
  /** CNI_CONTAINERID: the pod sandbox's id. */
  sandboxId: string
  /** CNI_NETNS: the network namespace being set up; empty on a DEL after it is gone. */
  netns: string
  /** How many processes lived in that namespace when the plugin ran. */
  processes: number
  /** How many PROXY_INIT rules the nat table of that namespace held when the plugin ran. */
  proxyInitRules: number
  /** The address the chain before the plugin gave the pod, if any. */
  ip?: string
}

export class CniLogError extends Error {}

const COMMANDS: readonly string[] = ['ADD', 'DEL', 'CHECK']

export function parseCniLog(text: string, source: string): CniCall[] {
  const calls: CniCall[] = []
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '')
      return
    const where = `${source}:${index + 1}`
    let value: unknown
    try {
      value = JSON.parse(line)
    }
    catch {
      throw new CniLogError(`${where}: not a JSON object: ${line.slice(0, 60)}`)
    }
    const call = value as Partial<CniCall> | null
    if (typeof call !== 'object' || call === null || !COMMANDS.includes(String(call.command)))
      throw new CniLogError(`${where}: no CNI command (ADD, DEL or CHECK)`)
    if (typeof call.sandboxId !== 'string' || call.sandboxId === '')
      throw new CniLogError(`${where}: no sandboxId`)
    if (typeof call.processes !== 'number' || typeof call.proxyInitRules !== 'number')
      throw new CniLogError(`${where}: processes and proxyInitRules must be numbers`)
    calls.push({
      command: call.command as CniCommand,
      sandboxId: call.sandboxId,
      netns: typeof call.netns === 'string' ? call.netns : '',
      processes: call.processes,
      proxyInitRules: call.proxyInitRules,
      ...(typeof call.ip === 'string' ? { ip: call.ip } : {}),
    })
  })
  return calls
}

/** Rules of proxy-init's chains in an `iptables-save -t nat` dump. */
export function countProxyInitRules(saveDump: string): number {
  return saveDump.split('\n').filter(line => line.startsWith('-A PROXY_INIT_')).length
}

export function callsFor(calls: readonly CniCall[], sandboxId: string, command?: CniCommand): CniCall[] {
  return calls.filter(c => c.sandboxId === sandboxId && (!command || c.command === command))
}
