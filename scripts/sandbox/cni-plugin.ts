import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import process from 'node:process'
import { countProxyInitRules } from './cni-log'
import { CNI_VERSION } from './conflist'

// What the lab's two CNI plugins share: the CNI protocol's side of an exec'd plugin. The runtime
// runs a plugin with CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS… in its environment and the network
// configuration on stdin; a chained plugin answers ADD with the previous plugin's result.

export interface PluginInvocation {
  command: string
  sandboxId: string
  netns: string
  config: Record<string, unknown> & { prevResult?: { ips?: { address?: string }[] } }
}

export function invocation(): PluginInvocation {
  const stdin = readFileSync(0, 'utf8')
  return {
    command: process.env.CNI_COMMAND ?? '',
    sandboxId: process.env.CNI_CONTAINERID ?? '',
    netns: process.env.CNI_NETNS ?? '',
    config: stdin.trim() === '' ? {} : JSON.parse(stdin),
  }
}

/** Prints what the runtime expects back, and nothing else on stdout. */
export function respond(call: PluginInvocation): void {
  if (call.command === 'VERSION') {
    process.stdout.write(JSON.stringify({
      cniVersion: CNI_VERSION,
      supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0'],
    }))
    return
  }
  if (call.command === 'ADD') {
    const version = String(call.config.cniVersion ?? CNI_VERSION)
    process.stdout.write(JSON.stringify({ cniVersion: version, ...call.config.prevResult }))
  }
}

export function processesIn(netns: string): number {
  let target
  try {
    target = statSync(netns)
  }
  catch {
    return 0
  }
  let count = 0
  for (const pid of readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
    try {
      const ns = statSync(`/proc/${pid}/ns/net`)
      if (ns.ino === target.ino && ns.dev === target.dev)
        count++
    }
    catch {}
  }
  return count
}

export function proxyInitRulesIn(netns: string): number {
  if (!netns)
    return 0
  try {
    return countProxyInitRules(execFileSync('nsenter', [
      `--net=${netns}`,
      'iptables-nft-save',
      '-t',
      'nat',
    ], { encoding: 'utf8' }))
  }
  catch {
    return 0
  }
}
