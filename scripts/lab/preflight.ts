import process from 'node:process'
import { execa } from 'execa'
import { leftoverNamespaces, removalCommand } from './topology'

// What the lab needs, checked before it touches anything.

export interface LabHost {
  uid: number | undefined
  has: (command: string) => Promise<boolean>
  /**
   * Why legacy iptables cannot work on this kernel, or undefined when it can. It needs the
   * kernel's legacy nat table (the iptable_nat module), which a container cannot load itself.
   */
  legacyProblem: () => Promise<string | undefined>
}

/** Lists the legacy nat table in a namespace of its own: nothing outside it is touched. */
async function probeLegacyNat(): Promise<string | undefined> {
  const probe = 'l5dlab-legacy-probe'
  const added = await execa('ip', ['netns', 'add', probe], { reject: false })
  if (added.exitCode !== 0)
    return undefined
  try {
    const listed = await execa('ip', [
      'netns',
      'exec',
      probe,
      'iptables-legacy',
      '-t',
      'nat',
      '-S',
    ], { reject: false })
    return listed.exitCode === 0
      ? undefined
      : `this kernel has no legacy iptables nat table (the iptable_nat module is not loaded, and a container cannot load it): ${(listed.stderr || listed.stdout).trim().split('\n')[0]}`
  }
  finally {
    await execa('ip', ['netns', 'delete', probe], { reject: false })
  }
}

export const systemHost: LabHost = {
  uid: process.getuid?.(),
  has: async command => (await execa('sh', ['-c', `command -v ${command}`], { reject: false })).exitCode === 0,
  legacyProblem: probeLegacyNat,
}

export interface Preflight {
  problems: string[]
  modes: ('nft' | 'legacy')[]
  /** Modes asked for (by `both`) that this machine cannot run, with why. */
  skipped: { mode: 'legacy', reason: string }[]
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
  const skipped: Preflight['skipped'] = []
  if (wanted !== 'legacy' && hasNft)
    modes.push('nft')
  const legacyProblem = wanted !== 'nft' && hasLegacy && problems.length === 0
    ? await host.legacyProblem()
    : undefined
  if (legacyProblem && wanted === 'legacy')
    problems.push(legacyProblem)
  else if (legacyProblem)
    skipped.push({ mode: 'legacy', reason: legacyProblem })
  else if (wanted !== 'nft' && hasLegacy)
    modes.push('legacy')
  return { problems, modes, skipped }
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
