import type { LabRecord } from '../../scripts/lab/lab-report'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { describeOutcome } from '../../model/firewall/describe'
import { ruleSetsFromLog } from '../../model/firewall/traffic-cases'
import { agrees, labCases, remoteAddresses, remoteListeners, VALIDATOR_TARGET } from '../../scripts/lab/lab-cases'
import { labCapability, preflight, systemHost } from '../../scripts/lab/preflight'
import { parseOriginalDestination } from '../../scripts/lab/run-lab'
import { leftoverNamespaces, NODE_NS, POD_NS, topologyCommands } from '../../scripts/lab/topology'
import { runScript } from '../run-script'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
const ruleSets = ruleSetsFromLog(read('model/rules/linkerd-init.log'))

describe('the lab, without a kernel', () => {
  it('creates nothing in the host namespace: every ip command names a lab namespace', () => {
    const commands = topologyCommands({
      podAddress: '10.244.0.7',
      gateway: '10.244.0.1',
      prefixLength: 24,
      remoteHosts: remoteAddresses(labCases()),
    })
    for (const args of commands) {
      const inLab = (args[0] === 'netns' && args[1] === 'add' && [POD_NS, NODE_NS].includes(args[2]!))
        || (args[0] === '-n' && [POD_NS, NODE_NS].includes(args[1]!))
      expect(inLab, args.join(' ')).toBe(true)
    }
    // The veth pair is created with both ends already in the lab's namespaces.
    expect(commands).toContainEqual([
      '-n',
      POD_NS,
      'link',
      'add',
      'eth0',
      'type',
      'veth',
      'peer',
      'name',
      'veth-pod',
      'netns',
      NODE_NS,
    ])
  })

  it('talks only to test hosts of its own: the validator\'s target too', () => {
    const addresses = remoteAddresses(labCases())
    expect(addresses).toContain(VALIDATOR_TARGET.host)
    expect(addresses).not.toContain('1.1.1.1')
    expect(remoteListeners(labCases()).every(l => addresses.includes(l.address))).toBe(true)
  })

  it('judges agreement by listener, address and port, not by wording', () => {
    const delivered = {
      kind: 'delivered' as const,
      address: '127.0.0.1',
      port: 4140,
      listener: { address: '127.0.0.1', port: 4140, owner: 'proxy outbound' },
    }
    expect(agrees(delivered, {
      kind: 'answered',
      answer: { owner: 'proxy outbound', address: '127.0.0.1', port: 4140 },
    })).toBe(true)
    expect(agrees(delivered, {
      kind: 'answered',
      answer: { owner: 'remote host', address: '10.96.112.40', port: 80 },
    })).toBe(false)
    expect(agrees(delivered, { kind: 'refused' })).toBe(false)
    expect(agrees({ kind: 'refused', address: '127.0.0.1', port: 4140 }, { kind: 'refused' })).toBe(true)
    // The right listener, but conntrack says the connection was opened to somewhere else.
    const redirected = {
      kind: 'answered' as const,
      answer: { owner: 'proxy outbound', address: '127.0.0.1', port: 4140 },
      originalDestination: '10.96.112.40:80',
    }
    expect(agrees(delivered, redirected, '10.96.112.40:80')).toBe(true)
    expect(agrees(delivered, redirected, '10.96.0.1:443')).toBe(false)
    expect(agrees({ kind: 'leaves-pod', address: '10.96.50.7', port: 4567 }, {
      kind: 'answered',
      answer: { owner: 'remote host', address: '10.96.50.7', port: 4567 },
    })).toBe(true)
  })

  it('reads the original destination from a conntrack entry', () => {
    const entry = 'tcp      6 119 TIME_WAIT src=10.244.0.7 dst=10.96.112.40 sport=40312 dport=80 src=127.0.0.1 dst=10.244.0.7 sport=4140 dport=40312 [ASSURED] mark=0 use=1\nconntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n'
    expect(parseOriginalDestination(entry)).toBe('10.96.112.40:80')
    expect(parseOriginalDestination('conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.\n')).toBeUndefined()
  })

  it('names what it needs when it can\'t run', async () => {
    const bare = await preflight({
      uid: 1000,
      has: async () => false,
      legacyProblem: async () => undefined,
    }, 'both')
    expect(bare.problems).toEqual([
      'needs root: it creates network namespaces and writes iptables rules in them. Run: sudo npm run lab:firewall',
      'ip (iproute2) is not installed: apt-get install iproute2',
      'iptables-nft-restore is not installed: apt-get install iptables',
    ])
    expect((await preflight({
      uid: 0,
      has: async c => c !== 'iptables-legacy-restore',
      legacyProblem: async () => undefined,
    }, 'both')).modes).toEqual(['nft'])
  })

  it('skips the legacy pass, with the reason, on a kernel without the legacy nat table (and refuses --mode legacy there)', async () => {
    const noLegacyNat = {
      uid: 0,
      has: async () => true,
      legacyProblem: async () => 'this kernel has no legacy iptables nat table',
    }
    expect(await preflight(noLegacyNat, 'both')).toEqual({
      problems: [],
      modes: ['nft'],
      skipped: [{ mode: 'legacy', reason: 'this kernel has no legacy iptables nat table' }],
    })
    expect((await preflight(noLegacyNat, 'legacy')).problems).toEqual(['this kernel has no legacy iptables nat table'])
    expect((await preflight({
      ...noLegacyNat,
      legacyProblem: async () => undefined,
    }, 'both')).modes).toEqual(['nft', 'legacy'])
  })

  it('has a recorded run that still matches what the model predicts today, with every case agreeing', () => {
    const record = JSON.parse(read('model/rules/lab-result.json')) as LabRecord
    const cases = labCases()
    expect(record.passes.length).toBeGreaterThan(0)
    for (const pass of record.passes) {
      expect(pass.rows.map(r => r.id)).toEqual(cases.map(c => c.id))
      for (const row of pass.rows) {
        expect(row.agrees, `${pass.mode} ${row.id}`).toBe(true)
        const labCase = cases.find(c => c.id === row.id)!
        // Stale if the model or the fixture changed since: rerun npm run lab:firewall -- --record.
        expect(row.predicted, `${pass.mode} ${row.id}`).toBe(describeOutcome(labCase.predict(ruleSets)))
      }
    }
  })
})

const capability = await labCapability()
const skipReason = capability.ok ? '' : ` (skipped: ${capability.reason})`

function lab(...args: string[]) {
  return runScript('scripts/lab-firewall.ts', args)
}

// A runner's kernel may lack the legacy nat table (a container cannot load its module): that pass
// is then reported skipped, with the reason, rather than failed.
const legacyReason = capability.ok ? await systemHost.legacyProblem() : undefined

describe(`the lab on this machine's kernel${skipReason}`, { timeout: 120_000 }, () => {
  it.skipIf(!capability.ok)('restores the rules with the real iptables-nft and the kernel agrees with the model on every case', async () => {
    const result = await lab('--mode', 'nft')
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/\n10 agree, 0 disagree$/)
    expect(result.stdout).not.toContain('DISAGREE')
    expect(await leftoverNamespaces()).toEqual([])
  })

  it.skipIf(!capability.ok || !!legacyReason)(`does the same with iptables-legacy${legacyReason
    ? ` (skipped: ${legacyReason})`
    : ''}`, async () => {
    const result = await lab('--mode', 'legacy')
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/\n10 agree, 0 disagree$/)
    expect(result.stdout).not.toContain('DISAGREE')
    expect(await leftoverNamespaces()).toEqual([])
  })

  it.skipIf(!capability.ok)('names the missing legacy nat table, from a stand-in iptables-legacy that fails as on such a kernel', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'legacy-stand-in-'))
    writeFileSync(join(bin, 'iptables-legacy'), '#!/bin/sh\necho "iptables v1.8.9 (legacy): can\'t initialize iptables table \\`nat\': Table does not exist (do you need to insmod?)" >&2\nexit 3\n', { mode: 0o755 })
    const path = process.env.PATH
    process.env.PATH = `${bin}:${path}`
    try {
      expect(await systemHost.legacyProblem()).toBe('this kernel has no legacy iptables nat table (the iptable_nat module is not loaded, and a container cannot load it): iptables v1.8.9 (legacy): can\'t initialize iptables table `nat\': Table does not exist (do you need to insmod?)')
    }
    finally {
      process.env.PATH = path
    }
    expect(await leftoverNamespaces()).toEqual([])
  })

  it.skipIf(!capability.ok)('catches a deliberately wrong model: one that forgets the proxy\'s UID', async () => {
    const result = await lab('--mode', 'nft', '--model-rules', 'test/fixtures/rules/proxy-uid-not-excluded.rules')
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('nft DISAGREE Out: the proxy (UID 2102): model proxy outbound on 127.0.0.1:4140; kernel remote host answered on 10.244.0.12:8080')
    expect(await leftoverNamespaces()).toEqual([])
  })

  it.skipIf(!capability.ok)('refuses to start over leftovers, and says how to remove them', async () => {
    await execa('ip', ['netns', 'add', POD_NS])
    try {
      const result = await lab('--mode', 'nft')
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toContain(`remove them first: sudo ip netns delete ${POD_NS}`)
    }
    finally {
      await execa('ip', ['netns', 'delete', POD_NS], { reject: false })
    }
  })

  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it.skipIf(!capability.ok)(`removes its namespaces on ${signal}`, async () => {
      const run = lab('--mode', 'nft')
      for (let waited = 0; (await leftoverNamespaces()).length < 2 && waited < 60_000; waited += 100)
        await new Promise(resolve => setTimeout(resolve, 100))
      expect(await leftoverNamespaces(), 'the lab never built its namespaces').toHaveLength(2)
      run.kill(signal)
      const result = await run
      expect(result.exitCode, `${result.signal ?? ''}\n${result.stdout}\n${result.stderr}`).toBe(status)
      expect(await leftoverNamespaces()).toEqual([])
      expect(existsSync('/run/netns/l5dlab-pod')).toBe(false)
    })
  }
})
