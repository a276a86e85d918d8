import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { nodeVersion, parseVerificationReport, pinsFromVersions, recordedOutputOf, verificationOf } from '../../model/live-verification'
import { parseExpectedOutput, parseStepScript, parseVersionsEnv, SnippetFormatError, snippetSession, startsCommand } from '../../model/snippet-session'

const repo = new URL('../../', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, repo), 'utf8')

function allSnippetFiles(): Record<string, string> {
  const files: Record<string, string> = {}
  for (const scenario of readdirSync(new URL('snippets/', repo), { withFileTypes: true })) {
    if (!scenario.isDirectory())
      continue
    for (const name of readdirSync(new URL(`snippets/${scenario.name}/`, repo))) {
      if (/\.(?:sh|out)$/.test(name))
        files[`snippets/${scenario.name}/${name}`] = read(`snippets/${scenario.name}/${name}`)
    }
  }
  return files
}

describe('snippet sessions', () => {
  it('reads every step in snippets/ without error', () => {
    const files = allSnippetFiles()
    const steps = Object.keys(files).filter(f => f.endsWith('.sh')).map(f => f.replace(/^snippets\/|\.sh$/g, ''))
    expect(steps.length).toBeGreaterThan(50)
    for (const step of steps)
      expect(() => snippetSession(files, step)).not.toThrow()
  })

  it('splits a step into its description, command and output', () => {
    const session = snippetSession(allSnippetFiles(), 'd-cni-broken/08-pods')
    expect(session.description).toBe('The validator failed, so nothing after it runs.')
    expect(session.commandLines).toEqual(['kubectl get pods -n demo -l app=latecomer'])
    expect(session.output?.[1]).toEqual([
      { kind: 'text', text: 'latecomer-' },
      { kind: 'volatile', name: 'hash', meaning: 'generated part of a pod name' },
      { kind: 'text', text: '   0/2     Init:CrashLoopBackOff   ' },
      { kind: 'volatile', name: 'restarts', meaning: 'restart count, e.g. 3 (40s ago)' },
      { kind: 'text', text: '   ' },
      { kind: 'volatile', name: 'age', meaning: 'AGE column' },
    ])
  })

  it('gives a prompt to each new command, not to continuation lines', () => {
    expect(startsCommand([
      'kubectl get pods \\',
      '  -o wide |',
      '  grep x',
      'echo',
      'a &&',
      'b',
    ])).toEqual([true, false, false, true, true, false])
  })

  it('names the file and line of an unknown placeholder', () => {
    expect(() => parseExpectedOutput('NAME\nweb-{{hsah}}\n', 'snippets/x/01-a.out'))
      .toThrow(new SnippetFormatError('snippets/x/01-a.out', 2, 'unknown placeholder {{hsah}}; known: hash, age, duration, restarts, timestamp, latest-edge, os-arch, digest, curl-error, net-error'))
    expect(() => parseExpectedOutput('a {{hash', 'f.out')).toThrow('f.out:1: unclosed {{ placeholder')
  })

  it('names the file and line of a script without its header', () => {
    expect(() => parseStepScript('kubectl get pods\n', 'snippets/x/01-a.sh')).toThrow('snippets/x/01-a.sh:1: line 1 must be #!/usr/bin/env bash')
    expect(() => parseStepScript('#!/usr/bin/env bash\nkubectl get pods\n', 'f.sh')).toThrow('f.sh:2: line 2 must be a "# " comment')
    expect(() => snippetSession({}, 'a/01-missing')).toThrow('snippets/a/01-missing.sh:1: no such step "a/01-missing"')
  })
})

describe('live verification record', () => {
  const pins = pinsFromVersions(parseVersionsEnv(read('snippets/versions.env')))
  const record = {
    scenario: 'g-job',
    steps: ['03-wait-classic', '07-jobs'],
    kindNodeImage: pins.kindNodeImage,
    linkerdVersion: pins.linkerdVersion,
    date: '2026-11-20',
  }

  it('has nothing verified live in the checked-in record yet', () => {
    const report = parseVerificationReport(JSON.parse(read('snippets/verified-live.json')))
    expect(report.scenarios).toEqual([])
    expect(verificationOf('g-job/07-jobs', report, pins)).toEqual({ status: 'unverified', reason: 'not yet verified live' })
  })

  it('verifies a step its scenario\'s record lists, with the current pins', () => {
    const report = parseVerificationReport({
      scenarios: [record],
    })
    expect(verificationOf('g-job/07-jobs', report, pins)).toEqual({ status: 'verified', record })
    expect(verificationOf('g-job/04-pods-classic', report, pins).status).toBe('unverified')
    expect(verificationOf('e-classic-await/07-jobs', report, pins).status).toBe('unverified')
  })

  it('does not count a record made with other versions', () => {
    const report = parseVerificationReport({
      scenarios: [{ ...record, linkerdVersion: 'edge-26.5.1' }],
    })
    expect(verificationOf('g-job/07-jobs', report, pins)).toEqual({
      status: 'unverified',
      reason: 'verified 2026-11-20 with other versions; not yet with the current pins',
    })
  })

  it('rejects a malformed record with the field it is missing', () => {
    expect(() => parseVerificationReport({
      scenarios: [{ ...record, date: '20 Nov' }],
    })).toThrow('scenarios[0].date must be YYYY-MM-DD')
    expect(() => parseVerificationReport({
      scenarios: [{ ...record, steps: [] }],
    })).toThrow('scenarios[0].steps must list the steps that passed')
    expect(() => parseVerificationReport({})).toThrow('expected an object with a "scenarios" array')
  })

  it('keeps the digests the run\'s images pinned by tag resolved to, and rejects one that is not a digest', () => {
    const imageDigests = { 'docker.io/curlimages/curl:8.11.1': `sha256:${'0'.repeat(64)}` }
    expect(parseVerificationReport({
      scenarios: [{ ...record, imageDigests }],
    }).scenarios[0]!.imageDigests).toEqual(imageDigests)
    expect(() => parseVerificationReport({
      scenarios: [
        {
          ...record,
          imageDigests: { 'docker.io/curlimages/curl:8.11.1': '8.11.1' },
        },
      ],
    })).toThrow('scenarios[0].imageDigests.docker.io/curlimages/curl:8.11.1 must be a digest, sha256: and 64 hex digits')
  })

  it('gives the recorded output of a step only while the record\'s pins are current', () => {
    const recorded = {
      ...record,
      outputs: { '07-jobs': 'NAME         STATUS     COMPLETIONS\njob-native   Complete   1/1' },
    }
    const current = parseVerificationReport({
      scenarios: [recorded],
    })
    expect(recordedOutputOf('g-job/07-jobs', current, pins)).toEqual({ output: recorded.outputs['07-jobs'], date: '2026-11-20' })
    expect(recordedOutputOf('g-job/04-pods-classic', current, pins)).toBeUndefined()
    const stale = parseVerificationReport({
      scenarios: [{ ...recorded, kindNodeImage: 'kindest/node:v1.34.0' }],
    })
    expect(recordedOutputOf('g-job/07-jobs', stale, pins)).toBeUndefined()
    expect(() => parseVerificationReport({
      scenarios: [
        {
          ...record,
          outputs: { '99-other': 'x' },
        },
      ],
    }))
      .toThrow('scenarios[0].outputs.99-other: not one of the steps this record lists as passed')
  })

  it('reads the pins and the node version', () => {
    expect(pins.linkerdVersion).toBe('edge-26.6.3')
    expect(nodeVersion(pins.kindNodeImage)).toBe('v1.35.0')
    expect(() => parseVersionsEnv('A=1\nnot a pin\n')).toThrow('snippets/versions.env:2: expected KEY=value, got "not a pin"')
  })
})
