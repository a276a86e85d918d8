import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { parseExpectedOutput } from '../../model/snippet-session'
import { compareOutput, linePattern } from '../../scripts/snippet-check/compare-output'
import { chainFor, parseDuration, readScenarios } from '../../scripts/snippet-check/scenarios'
import { versionedListProblems } from '../../scripts/snippet-check/static-checks'
import { stepTextProblems } from '../../scripts/snippet-check/step-text-checks'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/snippet-check/${name}`, import.meta.url))

function checkSnippets(...args: string[]) {
  return execa('tsx', ['scripts/check-snippets.ts', ...args], { cwd: repo, preferLocal: true, reject: false })
}

describe('npm run check:snippets (static)', { timeout: 60_000 }, () => {
  it('passes on the real snippets', async () => {
    const result = await checkSnippets()
    expect(result.stderr).toBe('')
    expect(result.stdout).toMatch(/^static: 10 scenarios, \d+ steps, 11 manifests, 0 problem\(s\)$/)
    expect(result.exitCode).toBe(0)
  })

  for (const [name, message] of [
    ['missing-intro', 'snippets/demo/scenario.yaml:2: scenario demo runs live, so it needs "intro:"'],
    ['unknown-key', 'snippets/demo/scenario.yaml:5: unknown step key "timeot"'],
    ['missing-output', 'snippets/demo/scenario.yaml:6: step 02-bye compares its output (exact) but snippets/demo/02-bye.out does not exist'],
    ['invalid-yaml', 'snippets/demo/scenario.yaml:5: invalid YAML:'],
    ['unknown-scenario', 'snippets/demo/scenario.yaml:3: after: unknown scenario "setup"'],
    ['missing-outcome', 'snippets/demo/scenario.yaml:6: step 01-hello allows exit 1 but snippets/demo/01-hello.exit1.out does not say what that outcome prints'],
    ['missing-alternative', 'snippets/demo/scenario.yaml:7: step 01-hello lists alternative "offline" but snippets/demo/01-hello.offline.out does not exist'],
    ['stray-output', 'snippets/demo/scenario.yaml:4: 01-hello.ofline.out is not read: step 01-hello does not list "ofline" under alternatives'],
  ] as const) {
    it(`stops on bad input (${name}) with its file and line, exit 2, before any check`, async () => {
      const result = await checkSnippets('--root', fixture(name))
      expect(result.exitCode).toBe(2)
      expect(result.stderr.startsWith(message)).toBe(true)
      expect(result.stdout).toBe('')
    })
  }

  // scenario.yaml's reset: (steps npm run stage -- --reset runs first): the scenario's own steps, each run on a cluster, as a list.
  for (const [name, message] of [
    ['reset-unknown-step', 'snippets/demo/scenario.yaml:3: reset: unknown step "02-goodbye" (known: 01-hello, 02-bye)'],
    ['reset-not-live', 'snippets/demo/scenario.yaml:5: reset: step 02-bye never runs on a cluster (the server it says goodbye to is gone by then), so npm run stage -- --reset can\'t run it'],
    ['reset-not-list', 'snippets/demo/scenario.yaml:8: reset must be a list of this scenario\'s step names, which npm run stage -- --reset runs first, e.g. [01-hello, 02-bye]'],
  ] as const) {
    it(`stops on a bad reset: (${name}) with exactly its file, line and message, exit 2`, async () => {
      const result = await checkSnippets('--root', fixture(name))
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toBe(message)
      expect(result.stdout).toBe('')
    })
  }

  it('reports every broken rule of the problems fixture by file and line, exit 1', async () => {
    const result = await checkSnippets('--root', fixture('problems'))
    expect(result.exitCode).toBe(1)
    const lines = result.stderr.split('\n').filter(Boolean)
    const expected = [
      'snippets/demo/02-hidden-but-shown.sh:3: shellcheck note: Double quote to prevent globbing',
      'snippets/apps/app.yaml:6: Deployment /spec/replicas: must be integer',
      'snippets/kind/cluster.yaml:5: kind Cluster /nodes/0: unknown field "extraMount"',
      'snippets/kind/cluster.yaml:7: kind Cluster /networking/kubeProxyMode: must be equal to one of the allowed values',
      'snippets/kind/cluster.yaml:12: KubeletConfiguration crashLoopBackOff.maxContainerRestartPeriod must be between 1s and 300s, got 10m',
      'snippets/apps/app.yaml:21: Deployment unknown field "imagePullPolicyy" at spec.template.spec.containers.0',
      'snippets/apps/app.yaml:15: config.beta.linkerd.io/proxy-enable-native-sidecar is deprecated: use config.linkerd.io/',
      'snippets/apps/app.yaml:16: config.linkerd.io/proxy-awiat is not a Linkerd 2.20 annotation',
      'snippets/apps/app.yaml:20: image docker.io/hashicorp/http-echo:latest is not pinned',
      'snippets/demo/03-nowhere.sh:3: writes the pinned LINKERD_VERSION (edge-26.6.3) literally',
      'snippets/demo/03-nowhere.sh:4: waits with sleep: wait for the condition itself',
      'snippets/demo/04-downloads.sh:3: downloads https://run.linkerd.io/install without a pinned version',
      'snippets/demo/04-downloads.sh:3: pipes a download straight into a shell',
      'snippets/apps/unused.yaml:1: no step applies this manifest',
      'snippets/demo/scenario.yaml:6: step 02-hidden-but-shown is marked hidden but slide 1 (slides.md:11) shows it',
      'snippets/demo/scenario.yaml:9: step 03-nowhere is neither shown on a slide nor marked hidden',
      'slides.md:19: slide 2 types a bash block that runs kubectl by hand',
      'slides.md:29: slide 3 types a text block that runs kubectl by hand',
      'slides.md:9: slide 1 names edge-26.5.1, but snippets/versions.env pins LINKERD_VERSION=edge-26.6.3',
    ]
    expect(lines).toHaveLength(expected.length)
    lines.forEach((line, i) => expect(line.startsWith(expected[i]!), line).toBe(true))
  })

  it('refuses unknown options and scenarios with exit 2', async () => {
    expect((await checkSnippets('--livee')).exitCode).toBe(2)
    const unknown = await checkSnippets('--live', '--scenario', 'z-nothing')
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toContain('unknown scenario z-nothing')
  })
})

describe('versioned lists', () => {
  it('asks for the annotation list to be redone when the Linkerd pin moves', () => {
    expect(versionedListProblems({ LINKERD_VERSION: 'edge-26.6.3' })).toEqual([])
    expect(versionedListProblems({ LINKERD_VERSION: 'edge-26.9.1' })[0]!.message).toContain('the annotation list is for edge-26.6.3, but snippets/versions.env pins LINKERD_VERSION=edge-26.9.1')
  })
})

describe('scenario model', () => {
  it('orders a scenario after everything it needs, on its own cluster', () => {
    const scenarios = readScenarios(repo)
    expect(chainFor(scenarios, ['g-job']).map(s => s.name)).toEqual(['setup', 'a-default-install', 'g-job'])
    expect(chainFor(scenarios, ['f-cni-init-container']).map(s => s.name)).toEqual(['c-cni-install', 'f-cni-init-container'])
    expect(chainFor(scenarios, ['d-cni-broken']).map(s => s.name)).toEqual(['c-cni-install', 'f-cni-init-container', 'd-cni-broken'])
    const job = scenarios.find(s => s.name === 'g-job')!.steps.find(s => s.name === '03-wait-classic')!
    expect(job.exit).toEqual([1])
    expect(job.compare).toBe('pattern')
  })

  it('reads durations', () => {
    expect(parseDuration('90s')).toBe(90)
    expect(parseDuration('5m')).toBe(300)
    expect(parseDuration('1h')).toBeUndefined()
  })
})

describe('output comparison', () => {
  const expected = 'NAME                 READY   STATUS\nlatecomer-{{hash}}   0/2     Init:CrashLoopBackOff\n'

  it('matches placeholders and any column widths', () => {
    expect(compareOutput(expected, 'NAME   READY   STATUS\nlatecomer-7c9f8d-x2x   0/2   Init:CrashLoopBackOff\n', 'pattern').matches).toBe(true)
    expect(linePattern(parseExpectedOutput('a {{age}} b', 'f')[0]!).test('a 5m2s b')).toBe(true)
    expect(linePattern(parseExpectedOutput('a {{age}} b', 'f')[0]!).test('a  b')).toBe(false)
  })

  it('shows a readable diff of only the lines that differ', () => {
    const result = compareOutput(expected, 'NAME   READY   STATUS\nlatecomer-7c9f8d-x2x   2/2   Running\n', 'pattern', 'd-cni-broken/08-pods.out')
    expect(result.matches).toBe(false)
    expect(result.diff).toContain('-latecomer-{{hash}}   0/2     Init:CrashLoopBackOff')
    expect(result.diff).toContain('+latecomer-7c9f8d-x2x   2/2   Running')
    expect(result.diff).not.toContain('+NAME')
  })

  it('compares exactly when asked, and notices a missing line', () => {
    expect(compareOutput('a\nb\n', 'a\nb\n\n', 'exact').matches).toBe(true)
    expect(compareOutput('a\nb\n', 'a\n', 'exact').matches).toBe(false)
  })
})

describe('step text rules', () => {
  const pins = { LINKERD_VERSION: 'edge-26.6.3', GATEWAY_API_VERSION: 'v1.2.1' }

  it('accepts a download that names a pin', () => {
    const pinned = '#!/usr/bin/env bash\n# ok\ncurl -fsSLO "https://example.org/$' + '{LINKERD_VERSION}/cli"\n'
    expect(stepTextProblems('s.sh', pinned, pins)).toEqual([])
  })

  it('rejects unpinned downloads, download-to-shell pipes and literal pins', () => {
    const problems = stepTextProblems('s.sh', '#!/usr/bin/env bash\n# bad\nwget -qO- https://example.org/get | bash\necho v1.2.1\n', pins)
    expect(problems.map(p => `${p.line}: ${p.message}`)).toEqual([
      '3: downloads https://example.org/get without a pinned version: put the version in snippets/versions.env and use its variable in the URL',
      '3: pipes a download straight into a shell: download, verify, then run',
      `4: writes the pinned GATEWAY_API_VERSION (v1.2.1) literally: use "$${'{'}GATEWAY_API_VERSION}" so versions.env stays the one source`,
    ])
  })
})
