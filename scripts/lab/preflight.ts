import process from 'node:process'
import { execa } from 'execa'
import { leftoverNamespaces, removalCommand } from './topology'

// What the lab needs, checked before it touches anything.

export interface LabHost {
  uid: number | undefined
  has: (command: string) => Promise<boolean>
}

export const systemHost: LabHost = {
  uid: process.getuid?.(),
  has: async command => (await execa('sh', ['-c', `command -v ${command}`], { reject: false })).exitCode === 0,
}

export interface Preflight {
  problems: string[]
  modes: ('nft' | 'legacy')[]
}

export async function preflight(host: LabHost, wanted: 'nft' | 'legacy' | 'both'): Promise<Preflight> {
  const problems: string[] = []
  if (host.uid !== 0)
    problems.push('needs root: it creates network namespaces and writes iptables rules in them. Run: sudo npm run lab:firewall')
  if (!await host.has('ip'))
    problems.push('ip (iproute2) is not installed: apt-get install iproute2')
  const hasNft = await host.has('iptables-nft-restore')
  const hasLegacy = await host.has('iptables-legacy-restore')
  if (!hasNft && wanted !== 'legacy')
    problems.push('iptables-nft-restore is not installed: apt-get install iptables')
  if (!hasLegacy && wanted === 'legacy')
    problems.push('iptables-legacy-restore is not installed: apt-get install iptables')
  const modes: Preflight['modes'] = []
  if (wanted !== 'legacy' && hasNft)
    modes.push('nft')
  if (wanted !== 'nft' && hasLegacy)
    modes.push('legacy')
  return { problems, modes }
}

export async function leftoverProblem(): Promise<string | undefined> {
  const leftovers = await leftoverNamespaces()
  return leftovers.length === 0
    ? undefined
    : `namespaces from an earlier run are still there (${leftovers.join(', ')}); remove them first: ${removalCommand(leftovers)}`
}

/** Whether this machine can run the lab at all, and why not: for tests that must skip honestly. */
export async function labCapability(): Promise<{ ok: true } | { ok: false, reason: string }> {
  const { problems } = await preflight(systemHost, 'nft')
  if (problems.length > 0) {
    return {
      ok: false,
      reason: problems.join('; '),
    }
  }
  const probe = 'l5dlab-capability-probe'
  const added = await execa('ip', ['netns', 'add', probe], { reject: false })
  if (added.exitCode !== 0)
    return { ok: false, reason: `ip netns add fails here: ${added.stderr.trim()}` }
  await execa('ip', ['netns', 'delete', probe], { reject: false })
  return { ok: true }
}
