import type { PodFacts } from '../../scripts/sandbox/cases'
import type { SandboxHost } from '../../scripts/sandbox/preflight'
import type { SandboxRecord } from '../../scripts/sandbox/report'
import type { CaseResult } from '../../scripts/sandbox/run-cases'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { emptyNatTable, formatSaveDump } from '../../model/firewall/rule-set'
import { ruleSetsFromLog } from '../../model/firewall/traffic-cases'
import { readDeck } from '../../scripts/core/deck-source'
import { criCalls, sandboxCases } from '../../scripts/sandbox/cases'
import { countProxyInitRules, parseCniLog } from '../../scripts/sandbox/cni-log'
import { conflist, RECORD_PLUGIN, STANDIN_PLUGIN } from '../../scripts/sandbox/conflist'
import { containerdConfig } from '../../scripts/sandbox/containerd-config'
import { BASE } from '../../scripts/sandbox/layout'
import { elfIsStatic, preflight } from '../../scripts/sandbox/preflight'
import { formatTable } from '../../scripts/sandbox/report'
import { criLogMessages, describeCalls } from '../../scripts/sandbox/run-cases'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
const linkerdCni = ruleSetsFromLog(read('model/rules/linkerd-init.log'))['linkerd-cni']
const cases = sandboxCases(linkerdCni)
const byId = (id: string) => cases.find(c => c.id === id)!

function pod(overrides: Partial<PodFacts>): PodFacts {
  return {
    sandboxId: 'sb',
    cni: [
      {
        command: 'ADD',
        sandboxId: 'sb',
        netns: '/n',
        processes: 0,
        proxyInitRules: 0,
        ip: '10.244.1.2/24',
      },
    ],
    ips: ['10.244.1.2'],
    processesNow: 2,
    rulesNow: 0,
    exits: {},
    logs: {},
    ...overrides,
  }
}

describe('the sandbox lab\'s plan of CRI calls', () => {
  it('has the five cases of the issue, each with a claim and the slide that makes it', () => {
    expect(cases.map(c => c.id)).toEqual([
      'add-before-containers',
      'init-restart-same-sandbox',
      'node-start-race',
      'cni-ordering-trap',
      'host-network',
    ])
    for (const c of cases)
      expect(c.claim.length * c.deck.length, c.id).toBeGreaterThan(0)
  })

  it('calls the CRI in the kubelet\'s order: the sandbox first, then its containers', () => {
    for (const c of cases) {
      const started = new Set<string>()
      for (const step of c.steps) {
        if (step.op === 'sandbox')
          started.add(step.pod)
        if (step.op === 'container' || step.op === 'stop')
          expect(started.has(step.pod), `${c.id}: ${step.pod} before its RunPodSandbox`).toBe(true)
      }
    }
    expect(byId('cni-ordering-trap').steps.flatMap(criCalls)).toEqual([
      'RunPodSandbox classic',
      'CreateContainer classic/init (init, attempt 0, UID 1000)',
      'StartContainer classic/init',
      'RunPodSandbox sidecar',
      'CreateContainer sidecar/proxy (sidecar, attempt 0, UID 2102)',
      'StartContainer sidecar/proxy',
      'CreateContainer sidecar/init (init, attempt 0, UID 1000)',
      'StartContainer sidecar/init',
    ])
  })

  it('restarts the init container as the kubelet does: a new container, attempt 1, in the same sandbox', () => {
    expect(byId('init-restart-same-sandbox').steps.flatMap(criCalls)).toEqual([
      'RunPodSandbox retry',
      'CreateContainer retry/init (init, attempt 0)',
      'StartContainer retry/init',
      'CreateContainer retry/init (init, attempt 1)',
      'StartContainer retry/init',
    ])
  })

  it('appends linkerd-cni to the chain only after the early sandbox is up', () => {
    const steps = byId('node-start-race').steps
    const chain = steps.findIndex(s => s.op === 'chain' && s.withLinkerdCni)
    expect(steps.findIndex(s => s.op === 'sandbox' && s.pod === 'early')).toBeLessThan(chain)
    expect(steps.findIndex(s => s.op === 'sandbox' && s.pod === 'recreated')).toBeGreaterThan(chain)
  })

  it('asks for a hostNetwork sandbox in case 5 only', () => {
    expect(cases.flatMap(c => c.steps.filter(s => s.op === 'sandbox' && s.hostNetwork).map(() => c.id))).toEqual(['host-network'])
  })
})

describe('the sandbox lab\'s judgements', () => {
  it('case 1: agrees only when the ADD saw no process and the pod then ran', () => {
    const judge = byId('add-before-containers').judge
    expect(judge({
      web: pod({}),
    }).agrees).toBe(true)
    expect(judge({
      web: pod({
        cni: [
          {
            command: 'ADD',
            sandboxId: 'sb',
            netns: '/n',
            processes: 1,
            proxyInitRules: 0,
          },
        ],
      }),
    }).agrees).toBe(false)
    expect(judge({
      web: pod({ processesNow: 0 }),
    }).agrees).toBe(false)
    expect(judge({})).toEqual({ observed: 'no facts for web', agrees: false })
  })

  it('case 2: a second ADD or a new IP differs', () => {
    const judge = byId('init-restart-same-sandbox').judge
    const exits = { 'init#0': 95, 'init#1': 95 }
    expect(judge({
      retry: pod({
        exits,
        ips: ['10.244.1.3', '10.244.1.3', '10.244.1.3'],
      }),
    })).toEqual({ observed: 'exits 95 and 95, 1 ADD, IP 10.244.1.3', agrees: true })
    const twice = pod({ exits })
    twice.cni = [...twice.cni, ...twice.cni]
    expect(judge({ retry: twice }).agrees).toBe(false)
    expect(judge({
      retry: pod({
        exits,
        ips: ['10.244.1.3', '10.244.1.9'],
      }),
    }).agrees).toBe(false)
  })

  it('case 3: rules in the old sandbox, or none in the new one, differ', () => {
    const judge = byId('node-start-race').judge
    expect(judge({
      early: pod({}),
      recreated: pod({ rulesNow: 5 }),
    }).agrees).toBe(true)
    expect(judge({
      early: pod({ rulesNow: 5 }),
      recreated: pod({ rulesNow: 5 }),
    }).agrees).toBe(false)
    expect(judge({
      early: pod({}),
      recreated: pod({}),
    }).agrees).toBe(false)
  })

  it('case 4: predicts from the firewall model, and tells a refusal from an unredirected answer', () => {
    const c = byId('cni-ordering-trap')
    expect(c.predicted).toBe('no sidecar: refused: nothing listens on 127.0.0.1:4140; sidecar first: stand-in proxy on 127.0.0.1:4140')
    const refused = pod({
      exits: { 'init#0': 1 },
      logs: { 'init#0': 'reply: \nnc: can\'t connect to remote host (10.96.0.10): Connection refused' },
    })
    const proxied = pod({
      exits: { 'init#0': 0 },
      logs: { 'init#0': 'reply: proxy' },
    })
    const backend = pod({
      exits: { 'init#0': 3 },
      logs: { 'init#0': 'reply: backend' },
    })
    expect(c.judge({ classic: refused, sidecar: proxied })).toEqual({
      observed: 'no sidecar: refused; sidecar first: answered by the stand-in proxy on :4140',
      agrees: true,
    })
    expect(c.judge({ classic: backend, sidecar: proxied }).agrees).toBe(false)
    expect(c.judge({ classic: refused, sidecar: refused }).agrees).toBe(false)
    // A model without linkerd-cni's rules predicts the connection leaves the pod: the runtime's refusal then differs.
    const withoutRules = sandboxCases(emptyNatTable()).find(x => x.id === 'cni-ordering-trap')!
    expect(withoutRules.predicted).toContain('not redirected')
    expect(withoutRules.judge({ classic: refused, sidecar: proxied }).agrees).toBe(false)
  })

  it('case 5: any CNI call, or a pod IP, differs', () => {
    const judge = byId('host-network').judge
    expect(judge({
      host: pod({
        cni: [],
        ips: [''],
      }),
    }).agrees).toBe(true)
    expect(judge({
      host: pod({
        ips: [''],
      }),
    }).agrees).toBe(false)
    expect(judge({
      host: pod({
        cni: [],
        ips: ['10.244.1.8'],
      }),
    }).agrees).toBe(false)
  })
})

describe('the recording plugin\'s log', () => {
  it('reads every call, skipping blank lines', () => {
    const calls = parseCniLog(read('test/fixtures/sandbox/cni-calls.jsonl'), 'cni-calls.jsonl')
    expect(calls.map(c => `${c.command} ${c.sandboxId} ${c.processes} ${c.proxyInitRules} ${c.ip ?? '-'}`)).toEqual([
      'ADD aaa111 0 0 10.244.1.2/24',
      'ADD bbb222 0 5 10.244.1.3/24',
      'DEL aaa111 0 0 -',
    ])
    expect(describeCalls(calls.slice(1, 2))).toBe('CNI ADD (0 processes in its netns, 5 PROXY_INIT rules, IP 10.244.1.3/24)')
    expect(describeCalls([])).toBe('no CNI call')
  })

  it('names the file and line of a bad entry', () => {
    expect(() => parseCniLog(read('test/fixtures/sandbox/cni-calls-no-command.jsonl'), 'cni-calls-no-command.jsonl'))
      .toThrow('cni-calls-no-command.jsonl:2: no CNI command (ADD, DEL or CHECK)')
    expect(() => parseCniLog(read('test/fixtures/sandbox/cni-calls-torn.jsonl'), 'cni-calls-torn.jsonl'))
      .toThrow('cni-calls-torn.jsonl:2: not a JSON object')
  })

  it('counts the PROXY_INIT rules of the model\'s linkerd-cni dump, and nothing else', () => {
    const dump = formatSaveDump(linkerdCni)
    const rules = linkerdCni.chains.filter(c => c.name.startsWith('PROXY_INIT_')).reduce((n, c) => n + c.rules.length, 0)
    expect(rules).toBeGreaterThan(0)
    expect(countProxyInitRules(dump)).toBe(rules)
    expect(countProxyInitRules('*nat\n:PREROUTING ACCEPT [0:0]\n-A OUTPUT -j PROXY_INIT_OUTPUT\nCOMMIT\n')).toBe(0)
  })

  it('reads a container\'s messages out of the CRI log format', () => {
    expect(criLogMessages('2026-11-28T09:00:00.1Z stdout F reply: proxy\n2026-11-28T09:00:00.2Z stderr F nc: oops\n')).toBe('reply: proxy\nnc: oops')
  })
})

describe('the sandbox lab\'s node', () => {
  it('keeps containerd\'s state, socket and netns files under the lab\'s tmpfs, with the OOM setting this machine needs', () => {
    const config = containerdConfig()
    expect(config).toContain('restrict_oom_score_adj = true')
    expect(config).toContain('netns_mounts_under_state_dir = true')
    for (const [, path] of config.matchAll(/"(\/[^"]*)"/g))
      expect(path!.startsWith(`${BASE}/`), path).toBe(true)
  })

  it('keeps the recorder last in the chain, after the stand-in linkerd-cni once it joins', () => {
    const types = (withLinkerdCni: boolean) => (conflist({ withLinkerdCni, logFile: '/l', rulesFile: '/r' }) as { plugins: { type: string }[] }).plugins.map(p => p.type)
    expect(types(false)).toEqual(['ptp', 'portmap', RECORD_PLUGIN])
    expect(types(true)).toEqual(['ptp', 'portmap', STANDIN_PLUGIN, RECORD_PLUGIN])
  })
})

describe('the sandbox lab\'s preflight', () => {
  const host = (missing: string[], uid = 0): SandboxHost => ({
    uid,
    has: async command => !missing.includes(command),
    exists: path => !missing.includes(path),
    isStatic: path => !missing.includes(`static:${path}`),
  })

  it('says nothing on a machine that has everything', async () => {
    expect(await preflight(host([]))).toEqual([])
  })

  it('gives one message a missing thing, each with the command that installs it', async () => {
    expect(await preflight(host([
      'containerd',
      'runc',
      '/usr/lib/cni/portmap',
      'static:/bin/busybox',
    ], 1000))).toEqual([
      'needs root: it starts containerd, mounts a tmpfs and creates network namespaces. Run: sudo npm run lab:sandbox',
      'containerd is not installed: apt-get install containerd',
      'runc is not installed: apt-get install runc',
      'the CNI plugins portmap are not in /usr/lib/cni: apt-get install containernetworking-plugins',
      '/bin/busybox is not a static busybox (the lab\'s image is built from it): apt-get install busybox-static',
    ])
    expect(await preflight(host(['nsenter', 'ip', 'iptables-nft-restore', 'ctr']))).toEqual([
      'ctr (containerd\'s client) is not installed: apt-get install containerd',
      'nsenter (util-linux) is not installed: apt-get install util-linux',
      'ip (iproute2) is not installed: apt-get install iproute2',
      'iptables-nft-restore is not installed: apt-get install iptables',
    ])
  })

  it('tells a dynamically linked program from a static one', () => {
    expect(elfIsStatic('/bin/sh')).toBe(false)
  })

  it.skipIf(!existsSync('/bin/busybox'))('finds busybox-static\'s busybox static', () => {
    expect(elfIsStatic('/bin/busybox')).toBe(true)
  })
})

describe('the sandbox lab\'s table and record', () => {
  const row = (id: string, agrees: boolean): CaseResult => ({
    id,
    claim: 'c',
    deck: 'd',
    predicted: 'one ADD',
    observed: agrees ? 'one ADD' : 'two ADDs',
    agrees,
  })

  it('lines up its columns and marks a disagreement', () => {
    expect(formatTable([row('a', true), row('longer-id', false)]).split('\n')).toEqual([
      '  case          deck predicts  runtime did',
      '  1. a          one ADD        one ADD      agree',
      '  2. longer-id  one ADD        two ADDs     DISAGREE',
    ])
  })

  const record = JSON.parse(read('model/sandbox/lab-result.json')) as SandboxRecord

  it('has a recorded run of every case, agreeing, with what the cases predict today', () => {
    expect(record.rows.map(r => r.id)).toEqual(cases.map(c => c.id))
    for (const [i, r] of record.rows.entries()) {
      expect(r.agrees, r.id).toBe(true)
      expect(r.predicted, r.id).toBe(cases[i]!.predicted)
      expect(r.claim, r.id).toBe(cases[i]!.claim)
    }
    expect(record.containerd).toMatch(/^1\.6\./)
  })

  it('is in the appendix once, and each slide a case names exists and mentions the lab', async () => {
    const deck = await readDeck(fileURLToPath(new URL('../../slides.md', import.meta.url)))
    expect(deck.slides.filter(slide => slide.content.includes('<SandboxLabResult'))).toHaveLength(1)
    for (const row of record.rows) {
      const slide = deck.slides.find(s => s.content.includes(`# ${row.deck}\n`))
      expect(slide, row.deck).toBeDefined()
      expect(slide!.notes, row.deck).toContain('sandbox lab')
    }
  })
})
