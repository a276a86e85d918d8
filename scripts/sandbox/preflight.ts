import { Buffer } from 'node:buffer'
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { execa } from 'execa'

// What the lab needs, checked before it touches anything: one message a missing thing, each
// naming the command that installs it.

export const CNI_PLUGIN_DIR = '/usr/lib/cni'
export const BUSYBOX = '/bin/busybox'

export interface SandboxHost {
  uid: number | undefined
  has: (command: string) => Promise<boolean>
  exists: (path: string) => boolean
  /** Whether an executable is statically linked (no ELF interpreter): it must run in an empty image. */
  isStatic: (path: string) => boolean
}

/** Reads the ELF program headers and looks for PT_INTERP; 64-bit little-endian only. */
export function elfIsStatic(path: string): boolean {
  const fd = openSync(path, 'r')
  try {
    const header = Buffer.alloc(64)
    readSync(fd, header, 0, 64, 0)
    if (header.readUInt32BE(0) !== 0x7F454C46 || header[4] !== 2)
      return false
    const phoff = Number(header.readBigUInt64LE(32))
    const phentsize = header.readUInt16LE(54)
    const phnum = header.readUInt16LE(56)
    const table = Buffer.alloc(phentsize * phnum)
    readSync(fd, table, 0, table.length, phoff)
    for (let i = 0; i < phnum; i++) {
      if (table.readUInt32LE(i * phentsize) === 3)
        return false
    }
    return true
  }
  finally {
    closeSync(fd)
  }
}

export const systemHost: SandboxHost = {
  uid: process.getuid?.(),
  has: async command => (await execa('sh', ['-c', `command -v ${command}`], { reject: false })).exitCode === 0,
  exists: existsSync,
  isStatic: elfIsStatic,
}

const TOOLS: [command: string, what: string, install: string][] = [
  ['containerd', 'containerd', 'apt-get install containerd'],
  ['ctr', 'ctr (containerd\'s client)', 'apt-get install containerd'],
  ['runc', 'runc', 'apt-get install runc'],
  ['nsenter', 'nsenter (util-linux)', 'apt-get install util-linux'],
  ['ip', 'ip (iproute2)', 'apt-get install iproute2'],
  ['iptables-nft-restore', 'iptables-nft-restore', 'apt-get install iptables'],
]

export async function preflight(host: SandboxHost): Promise<string[]> {
  const problems: string[] = []
  if (host.uid !== 0)
    problems.push('needs root: it starts containerd, mounts a tmpfs and creates network namespaces. Run: sudo npm run lab:sandbox')
  for (const [command, what, install] of TOOLS) {
    if (!await host.has(command))
      problems.push(`${what} is not installed: ${install}`)
  }
  const plugins = ['ptp', 'host-local', 'portmap'].filter(p => !host.exists(`${CNI_PLUGIN_DIR}/${p}`))
  if (plugins.length > 0)
    problems.push(`the CNI plugins ${plugins.join(', ')} are not in ${CNI_PLUGIN_DIR}: apt-get install containernetworking-plugins`)
  if (!host.exists(BUSYBOX) || !host.isStatic(BUSYBOX))
    problems.push(`${BUSYBOX} is not a static busybox (the lab's image is built from it): apt-get install busybox-static`)
  return problems
}

/**
 * Whether this machine can run the lab at all, and why not: for tests that must skip honestly
 * (an unprivileged container has root and the packages, but can't mount or make namespaces).
 */
export async function sandboxCapability(): Promise<{ ok: true } | { ok: false, reason: string }> {
  const problems = await preflight(systemHost)
  if (problems.length > 0) {
    return {
      ok: false,
      reason: problems.join('; '),
    }
  }
  const probe = 'sbxlab-capability-probe'
  const added = await execa('ip', ['netns', 'add', probe], { reject: false })
  if (added.exitCode !== 0)
    return { ok: false, reason: `ip netns add fails here: ${added.stderr.trim()}` }
  await execa('ip', ['netns', 'delete', probe], { reject: false })
  const dir = mkdtempSync(join(tmpdir(), 'sbxlab-mount-probe-'))
  try {
    const mounted = await execa('mount', ['-t', 'tmpfs', 'sbxlab-probe', dir], { reject: false })
    if (mounted.exitCode !== 0)
      return { ok: false, reason: `mount -t tmpfs fails here: ${mounted.stderr.trim()}` }
    await execa('umount', [dir], { reject: false })
  }
  finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return { ok: true }
}
