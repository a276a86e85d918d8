import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { followConnection } from '../../model/firewall/connection'
import { describeOutcome, journeySummary, matchedPath } from '../../model/firewall/describe'
import { finalNatTable, parseLinkerdInitLog, ruleCommands } from '../../model/firewall/linkerd-init-log'
import { LINKERD_INIT_DEFAULTS, multiportGroups, proxyInitCommands } from '../../model/firewall/proxy-init-commands'
import { parseRule, splitArguments } from '../../model/firewall/rule'
import { applyCommands, formatSaveDump, parseSaveDump, RuleSetError } from '../../model/firewall/rule-set'
import { podNetwork, ruleSetsFromLog, runCase, TRAFFIC_CASES } from '../../model/firewall/traffic-cases'
import { inCidr, traverse } from '../../model/firewall/traverse'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
const FIXTURE = 'model/rules/linkerd-init.log'
const fixtureLog = parseLinkerdInitLog(read(FIXTURE), FIXTURE)

describe('the linkerd-init log fixture', () => {
  it('holds the commands and both iptables-save runs', () => {
    expect(fixtureLog.commands.map(c => c.binary)).toEqual([
      '/usr/sbin/iptables-nft-save',
      ...Array.from({ length: 10 }).fill('/usr/sbin/iptables-nft'),
      '/usr/sbin/iptables-nft-save',
    ])
    expect(fixtureLog.saveDumps).toHaveLength(2)
  })

  it('is what proxy-init v2.4.9 runs for the 2.20 chart defaults', () => {
    expect(ruleCommands(fixtureLog)).toEqual(proxyInitCommands(LINKERD_INIT_DEFAULTS))
  })

  it('ends with the table those commands build, in iptables-save layout', () => {
    const table = finalNatTable(fixtureLog, FIXTURE)
    expect(table).toEqual(applyCommands(ruleCommands(fixtureLog)))
    const dump = fixtureLog.saveDumps.at(-1)!.text
    const withoutComments = dump.split('\n').filter(line => line && !line.startsWith('#')).join('\n')
    expect(formatSaveDump(table)).toBe(`${withoutComments}\n`)
  })

  it('names, in its README, the Linkerd version that versions.env pins', () => {
    const pinned = /^LINKERD_VERSION=(\S+)$/m.exec(read('snippets/versions.env'))![1]!
    expect(read('model/rules/README.md')).toContain(`(\`${pinned}\``)
  })

  it('gives the output the hands-on rules step shows', () => {
    const shown = read('snippets/a-default-install/09-init-rules.out').trim().split('\n')
    const appended = fixtureLog.commands
      .filter(c => c.arguments.includes('-A'))
      .map(c => `iptables-nft ${c.arguments.join(' ').replace(/ -m comment .*/, '')}`)
    expect(appended).toEqual(shown)
  })
})

describe('rule parsing', () => {
  it('reads both the command and the iptables-save spelling the same way', () => {
    const asRun = parseRule('-t nat -A PROXY_INIT_OUTPUT -p tcp --match multiport --dports 4567,4568 -j RETURN -m comment --comment proxy-init/ignore-port-4567,4568')
    const asSaved = parseRule('-A PROXY_INIT_OUTPUT -p tcp -m multiport --dports 4567,4568 -m comment --comment "proxy-init/ignore-port-4567,4568" -j RETURN')
    expect(asSaved).toEqual(asRun)
    expect(asRun.match.destinationPorts).toEqual([{ from: 4567, to: 4567 }, { from: 4568, to: 4568 }])
  })

  it('splits quoted words and port ranges', () => {
    expect(splitArguments('-m comment --comment "a b \\"c\\"" -j RETURN')).toEqual([
      '-m',
      'comment',
      '--comment',
      'a b "c"',
      '-j',
      'RETURN',
    ])
    expect(parseRule('-A X -p tcp -m multiport --dports 8000:8100 -j RETURN').match.destinationPorts).toEqual([
      { from: 8000, to: 8100 },
    ])
    expect(parseRule('-A X ! -d 127.0.0.1/32 -o lo -j RETURN').match.destination).toEqual({ cidr: '127.0.0.1/32', negated: true })
  })

  it('groups ignored ports as proxy-init does: 15 references per multiport rule, a range counts twice', () => {
    const ports = Array.from({ length: 16 }, (_, i) => String(9000 + i))
    expect(multiportGroups(ports).map(g => g.length)).toEqual([15, 1])
    expect(multiportGroups(['1-2', ...ports.slice(0, 14)]).map(g => g.length)).toEqual([14, 1])
    expect(multiportGroups(['25', '3306-3307'])).toEqual([['25', '3306:3307']])
  })

  it('names the file and line of a rule it cannot model', () => {
    const source = 'test/fixtures/rules/unsupported-match.rules'
    expect(() => parseSaveDump(read(source), source)).toThrow(`${source}:6: unsupported match module "statistic"`)
  })

  it('names the log line and the dump line of a rule for an undeclared chain', () => {
    const source = 'test/fixtures/rules/undeclared-chain.log'
    expect(() => finalNatTable(parseLinkerdInitLog(read(source), source), source))
      .toThrow(`${source}:2: save dump, its line 3: rule for undeclared chain PROXY_INIT_REDIRECT`)
  })

  it('refuses a log line that is not linkerd-init\'s', () => {
    const source = 'test/fixtures/rules/not-logrus.log'
    expect(() => parseLinkerdInitLog(read(source), source)).toThrow(RuleSetError)
    expect(() => parseLinkerdInitLog(read(source), source)).toThrow(`${source}:2: not a logrus text line`)
  })
})

describe('walking packets', () => {
  const ruleSets = ruleSetsFromLog(read(FIXTURE), FIXTURE)

  it('matches CIDRs', () => {
    expect(inCidr('127.8.9.1', '127.0.0.0/8')).toBe(true)
    expect(inCidr('10.244.0.7', '10.244.0.0/16')).toBe(true)
    expect(inCidr('10.245.0.7', '10.244.0.0/16')).toBe(false)
  })

  // Written out by hand from the rules: if the model's answer for any case changes, this fails.
  const expected: Record<string, { path: string[], outcome: string }> = {
    'inbound-app': {
      path: ['PREROUTING → PROXY_INIT_REDIRECT', 'PROXY_INIT_REDIRECT: redirect-all-incoming-to-proxy-port → REDIRECT 4143'],
      outcome: 'proxy inbound on 10.244.0.7:4143',
    },
    'inbound-admin': {
      path: ['PREROUTING → PROXY_INIT_REDIRECT', 'PROXY_INIT_REDIRECT: ignore-port-4190,4191,4567,4568 → RETURN'],
      outcome: 'proxy admin on 10.244.0.7:4191',
    },
    'outbound-app': {
      path: ['OUTPUT → PROXY_INIT_OUTPUT', 'PROXY_INIT_OUTPUT: redirect-all-outgoing-to-proxy-port → REDIRECT 4140'],
      outcome: 'proxy outbound on 127.0.0.1:4140',
    },
    'outbound-proxy': {
      path: ['OUTPUT → PROXY_INIT_OUTPUT', 'PROXY_INIT_OUTPUT: ignore-proxy-user-id → RETURN'],
      outcome: 'not redirected: leaves the pod for 10.244.0.12:8080',
    },
    'localhost': {
      path: ['OUTPUT → PROXY_INIT_OUTPUT', 'PROXY_INIT_OUTPUT: ignore-loopback → RETURN'],
      outcome: 'app on 127.0.0.1:8080',
    },
    'ignored-port': {
      path: ['OUTPUT → PROXY_INIT_OUTPUT', 'PROXY_INIT_OUTPUT: ignore-port-4567,4568 → RETURN'],
      outcome: 'not redirected: leaves the pod for 10.96.50.7:4567',
    },
    'cni-init-container': {
      path: ['OUTPUT → PROXY_INIT_OUTPUT', 'PROXY_INIT_OUTPUT: redirect-all-outgoing-to-proxy-port → REDIRECT 4140'],
      outcome: 'refused: nothing listens on 127.0.0.1:4140',
    },
    'cni-init-container-as-proxy-uid': {
      path: ['OUTPUT → PROXY_INIT_OUTPUT', 'PROXY_INIT_OUTPUT: ignore-proxy-user-id → RETURN'],
      outcome: 'not redirected: leaves the pod for 10.96.112.40:80',
    },
  }

  it('covers exactly the cases written out here', () => {
    expect(TRAFFIC_CASES.map(c => c.id).sort()).toEqual(Object.keys(expected).sort())
  })

  for (const trafficCase of TRAFFIC_CASES) {
    it(`${trafficCase.id}: ${trafficCase.label}`, () => {
      const journey = runCase(ruleSets, trafficCase)
      expect({
        path: matchedPath(journey),
        outcome: describeOutcome(journey.outcome),
      }).toEqual(expected[trafficCase.id])
    })
  }

  it('never sends the proxy\'s own traffic back to its outbound port', () => {
    for (const destination of ['10.244.0.12', '10.96.112.40', '1.1.1.1']) {
      const journey = traverse(ruleSets['linkerd-init'], 'OUTPUT', {
        protocol: 'tcp',
        source: '10.244.0.7',
        destination,
        destinationPort: 443,
        uid: 2102,
        outInterface: 'eth0',
      })
      expect(journey.verdict).not.toEqual({ kind: 'redirect', toPort: 4140 })
    }
  })

  it('catches a rule set that forgets the proxy\'s UID: the proxy would loop into itself', () => {
    const broken = parseSaveDump(read('test/fixtures/rules/proxy-uid-not-excluded.rules'))
    const proxyCase = TRAFFIC_CASES.find(c => c.id === 'outbound-proxy')!
    const journey = runCase({ ...ruleSets, 'linkerd-init': broken }, proxyCase)
    expect(describeOutcome(journey.outcome)).toBe('proxy outbound on 127.0.0.1:4140')
  })

  it('follows a skip port added to the configuration', () => {
    const withMysql = applyCommands(proxyInitCommands({
      ...LINKERD_INIT_DEFAULTS,
      outboundPortsToIgnore: ['3306'],
    }))
    const mysql = runCase({ ...ruleSets, 'linkerd-init': withMysql }, {
      ...TRAFFIC_CASES.find(c => c.id === 'outbound-app')!,
      connection: {
        origin: { from: 'inside', uid: 1000, who: 'the app' },
        destination: '10.96.0.30',
        port: 3306,
      },
    })
    expect(describeOutcome(mysql.outcome)).toBe('not redirected: leaves the pod for 10.96.0.30:3306')
    // The annotation replaces the default list, so Galera's port is redirected again.
    const galera = runCase({ ...ruleSets, 'linkerd-init': withMysql }, TRAFFIC_CASES.find(c => c.id === 'ignored-port')!)
    expect(describeOutcome(galera.outcome)).toBe('proxy outbound on 127.0.0.1:4140')
  })

  it('lets UDP, such as a DNS query, leave without any rule deciding', () => {
    const dns = followConnection(ruleSets['linkerd-init'], podNetwork('running'), {
      origin: { from: 'inside', uid: 1000, who: 'the app' },
      destination: '10.96.0.10',
      port: 53,
      protocol: 'udp',
    })
    expect(journeySummary(dns)).toEqual({ chains: 'OUTPUT → PROXY_INIT_OUTPUT', decidedBy: 'OUTPUT policy' })
    expect(describeOutcome(dns.outcome)).toBe('not redirected: leaves the pod for 10.96.0.10:53')
  })

  it('has no listeners before the proxy runs', () => {
    expect(podNetwork('init-before-proxy').listeners).toEqual([])
  })

  it('rejects a jump loop instead of hanging', () => {
    const looping = parseSaveDump('*nat\n:OUTPUT ACCEPT [0:0]\n:A - [0:0]\n-A OUTPUT -j A\n-A A -j A\nCOMMIT\n')
    expect(() => traverse(looping, 'OUTPUT', {
      protocol: 'tcp',
      source: '10.0.0.1',
      destination: '10.0.0.2',
      destinationPort: 1,
    }))
      .toThrow(/jump loop/)
  })
})
