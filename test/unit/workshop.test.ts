import type { GuideScenario } from '../../scripts/workshop/input'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { SnippetInputError } from '../../scripts/snippet-check/scenarios'
import { readWorkshopInput } from '../../scripts/workshop/input'
import { fence, readableOutput, Slugger } from '../../scripts/workshop/markdown'
import { clusterRuns, guideOrder, orderNotes } from '../../scripts/workshop/order'
import { PLACEHOLDER_LEGEND, renderWorkshop } from '../../scripts/workshop/render'
import { staleMessage, staleness } from '../../scripts/workshop/stale'

// WORKSHOP.md, the follow-along guide: generated from the snippet files only, committed, and
// never allowed to drift from them. The generator is tested on a small fixture built here.

const repo = fileURLToPath(new URL('../../', import.meta.url))

function writeTree(root: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

const step = (comment: string, command: string) => `#!/usr/bin/env bash\n# ${comment}\n${command}\n`
const INTRO = 'intro: >-\n  Why this matters, in a first sentence. And a second one, with `code` in it.\n'

/** A small repository: a setup, two lettered scenarios, a cleanup and an appendix. */
function fixtureFiles(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'snippets/versions.env': '# pins\nLINKERD_VERSION=edge-1.2.3\nLINKERD_MAJOR=9.9\nKIND_VERSION=v0.1.0\nKIND_NODE_IMAGE=kindest/node:v1.30.0@sha256:abc\nKUBERNETES_VERSION=v1.30.0\n',
    'snippets/verified-live.json': JSON.stringify({
      scenarios: [
        {
          scenario: 'b-recorded',
          steps: ['01-show'],
          kindNodeImage: 'kindest/node:v1.30.0@sha256:abc',
          linkerdVersion: 'edge-1.2.3',
          date: '2026-01-02',
          outputs: { '01-show': 'NAME   AGE\nweb-7c9d8-x2x9k   3m\n' },
        },
        {
          scenario: 'a-hello',
          steps: ['01-hello'],
          kindNodeImage: 'kindest/node:v1.29.0@sha256:old',
          linkerdVersion: 'edge-1.0.0',
          date: '2025-12-01',
          outputs: { '01-hello': 'old' },
        },
      ],
    }),
    'snippets/setup/scenario.yaml': `# Tools and the cluster\n${INTRO}cluster: one\nsteps:\n  - step: 01-install\n    stage: true\n    live: false\n    why: the check needs the tool first\n    hidden: true\n  - step: 02-create\n    stage: true\n    creates-cluster: true\n    timeout: 3m\n`,
    'snippets/setup/01-install.sh': step('Install the tool.', 'set -euo pipefail\nif false; then exit 1; fi\necho "tool: sha256:deadbeef OK"'),
    'snippets/setup/01-install.out': 'tool: sha256:{{digest}} OK\n',
    'snippets/setup/02-create.sh': step('Create the cluster.', 'kind create cluster --name one'),
    'snippets/a-hello/scenario.yaml': `# Hello, in every way it can end\n${INTRO}cluster: one\nafter: [setup]\nsteps:\n`
      + '  - step: 01-hello\n    stage: true\n'
      + '  - step: 02-fail\n    on-stage: 2s\n    exit: 1\n'
      + '  - step: 03-maybe\n    on-stage: 2s\n    exit: [0, 2]\n'
      + '  - step: 04-net\n    on-stage: 2s\n    alternatives:\n      offline: the greeting server is unreachable\n'
      + '  - step: 05-apply\n    on-stage: 2s\n    hidden: true\n'
      + '  - step: 06-settle\n    on-stage: 2s\n    poll: {every: 2s, deadline: 10s}\n',
    'snippets/a-hello/01-hello.sh': step('The pods.', 'kubectl get pods'),
    'snippets/a-hello/01-hello.out': 'NAME             READY   AGE\nweb-{{hash}}     1/1     {{age}}\n',
    'snippets/a-hello/02-fail.sh': step('This one fails on purpose.', 'false'),
    'snippets/a-hello/02-fail.out': 'error: timed out\n',
    'snippets/a-hello/03-maybe.sh': step('Either way is fine.', 'true'),
    'snippets/a-hello/03-maybe.out': 'it happened\n',
    'snippets/a-hello/03-maybe.exit2.out': 'it did not happen\n',
    'snippets/a-hello/04-net.sh': step('Ask the greeting server.', 'curl https://example.org/'),
    'snippets/a-hello/04-net.out': 'hello\n',
    'snippets/a-hello/04-net.offline.out': 'no greeting: {{net-error}}\n',
    'snippets/a-hello/05-apply.sh': step('Apply something.', 'kubectl apply -f snippets/apps/x.yaml'),
    'snippets/a-hello/06-settle.sh': step('Wait for it to settle.', 'kubectl get pods'),
    'snippets/a-hello/06-settle.out': 'settled\n',
    'snippets/b-recorded/scenario.yaml': `# A step recorded live\n${INTRO}cluster: one\nafter: [a-hello]\nsteps:\n  - step: 01-show\n    on-stage: 2s\n`,
    'snippets/b-recorded/01-show.sh': step('Show it.', 'kubectl get pods'),
    'snippets/b-recorded/01-show.out': 'NAME           AGE\nweb-{{hash}}   {{age}}\n',
    'snippets/cleanup/scenario.yaml': '# Delete the cluster\nlive: false\nwhy: the checker deletes its own clusters\nsteps:\n  - step: 01-delete\n    hidden: true\n',
    'snippets/cleanup/01-delete.sh': step('Delete it.', 'kind delete cluster --name one'),
    'snippets/notes/scenario.yaml': '# Notes for later\nlive: false\nwhy: not part of the sequence\nsteps:\n  - step: checklist\n',
    'snippets/notes/checklist.sh': step('A checklist.', '# Is it up? (exit 95 means no)\nkubectl get pods'),
    ...overrides,
  }
}

function fixture(overrides: Record<string, string> = {}): string {
  return writeTree(mkdtempSync(join(tmpdir(), 'workshop-')), fixtureFiles(overrides))
}

/** The text of a `## ` section, up to the next one. */
function section(markdown: string, headingStart: string): string {
  const start = markdown.indexOf(`\n## ${headingStart}`)
  expect(start, headingStart).toBeGreaterThan(0)
  const end = markdown.indexOf('\n## ', start + 1)
  return markdown.slice(start, end < 0 ? undefined : end)
}

/** Headings outside code fences, and the code fences' info strings. */
function outline(markdown: string): { headings: string[], fences: string[] } {
  const headings: string[] = []
  const fences: string[] = []
  let open: string | undefined
  for (const line of markdown.split('\n')) {
    const marks = /^(`{3,})([^`]*)$/.exec(line)
    if (marks) {
      if (open === undefined) {
        open = marks[1]
        fences.push(marks[2]!)
      }
      else if (marks[1] === open && marks[2] === '') {
        open = undefined
      }
      continue
    }
    if (open === undefined && /^#{1,6} /.test(line))
      headings.push(line.replace(/^#+ /, ''))
  }
  expect(open, 'every code fence is closed').toBeUndefined()
  return { headings, fences }
}

function workshopCli(root: string, ...args: string[]) {
  return execa('tsx', [
    'scripts/write-workshop.ts',
    '--root',
    root,
    ...args,
  ], { cwd: repo, preferLocal: true, reject: false })
}

describe('WORKSHOP.md in this repository', () => {
  it('is exactly what npm run write:workshop generates now, so it never drifts from the snippets', () => {
    const committed = readFileSync(join(repo, 'WORKSHOP.md'), 'utf8')
    const generated = renderWorkshop(readWorkshopInput(repo))
    const stale = staleness(committed, generated)
    expect(stale ? staleMessage('WORKSHOP.md', stale) : 'up to date').toBe('up to date')
  })

  it('covers every step of every scenario, in the talk\'s order, and no placeholder is left raw', () => {
    const input = readWorkshopInput(repo)
    const guide = renderWorkshop(input)
    const { sequence, appendix } = guideOrder(input.scenarios)
    expect(sequence.map(s => s.name)).toEqual([
      'setup',
      'a-default-install',
      'b-classic-sidecar',
      'c-cni-install',
      'd-cni-broken',
      'e-classic-await',
      'f-cni-init-container',
      'g-job',
      'cleanup',
    ])
    expect(appendix.map(s => s.name)).toEqual(['troubleshooting'])
    for (const step of input.scenarios.flatMap(s => s.steps))
      expect(guide, step.id).toContain(`(${step.file}): `)
    expect(guide).not.toContain('{{')
    expect(guide).toContain('`after: [f-cni-init-container]`')
  })

  it('links only to headings it has, and opens code blocks as bash (commands) or text (outputs)', () => {
    const guide = readFileSync(join(repo, 'WORKSHOP.md'), 'utf8')
    const { headings, fences } = outline(guide)
    const slugger = new Slugger()
    const anchors = new Set(headings.map(heading => slugger.slug(heading)))
    const links = [...guide.matchAll(/\]\(#([^)]+)\)/g)].map(match => match[1]!)
    expect(links.length).toBeGreaterThan(20)
    expect(links.filter(anchor => !anchors.has(anchor))).toEqual([])
    expect(new Set(fences)).toEqual(new Set(['bash', 'text']))
    const files = [...guide.matchAll(/\]\(((?:snippets|SOURCES)[^)#]*)\)/g)].map(match => match[1]!)
    expect(files.filter(file => !existsSync(join(repo, file)))).toEqual([])
  })
})

describe('the guide, generated from a small fixture', () => {
  const guide = renderWorkshop(readWorkshopInput(fixture()))

  it('puts set-up first, the lettered scenarios in order, cleanup last and the rest in an appendix', () => {
    const { headings } = outline(guide)
    expect(headings.filter(h => /^(?:Setup|[a-z]\.|Cleanup|Appendix)[: ]/.test(h))).toEqual([
      'Setup: Tools and the cluster',
      'a. Hello, in every way it can end',
      'b. A step recorded live',
      'Cleanup: Delete the cluster',
      'Appendix: Notes for later',
    ])
    expect(section(guide, 'a. Hello')).toContain('Why this matters, in a first sentence. And a second one, with `code` in it.')
    expect(section(guide, 'a. Hello')).toContain('- **Cluster:** `one`')
  })

  it('lists the pins and the set-up at the top', () => {
    const before = section(guide, 'Before you start')
    expect(before).toContain('| `LINKERD_VERSION` | `edge-1.2.3` |')
    expect(before).toContain('**kubectl** within one minor version of Kubernetes `v1.30.0`, so 1.29 to 1.31.')
    expect(before).toContain('set -a; source snippets/versions.env; set +a')
    expect(before).toContain('npm run preflight -- --pull')
    expect(before).toContain('bash snippets/setup/01-install.sh')
    expect(before).toContain('`npm run demo -- <scenario>`')
  })

  it('explains only the placeholders it shows, once, and draws them as ‹name›', () => {
    const legend = section(guide, 'Before you start')
    const rows = legend.split('\n').filter(line => line.startsWith('| `‹'))
    expect(rows.map(row => /‹([\w-]+)›/.exec(row)![1])).toEqual(['hash', 'age', 'digest', 'net-error'])
    expect(rows[0]).toBe(`| \`‹hash›\` | ${PLACEHOLDER_LEGEND.hash.replace(/\|/g, '\\|')} |`)
    expect(guide).not.toContain('{{')
    expect(guide).toContain('web-‹hash›       1/1     ‹age›')
  })

  it('marks hidden steps, and shows staged steps as ordinary ones', () => {
    expect(guide).toContain('### 01-install (not shown on the slides)')
    expect(guide).toContain('### 05-apply (not shown on the slides)')
    expect(guide).toContain('\n### 01-hello\n')
    expect(guide).toContain('\n### 02-create\n')
    expect(section(guide, 'a. Hello')).not.toMatch(/stage/i)
  })

  it('says where each output comes from: derived, derived with an old recording, recorded live', () => {
    expect(guide).toContain('**Expected output** (derived; verified 2025-12-01 with other versions; not yet with the current pins):')
    expect(guide).toContain('**Expected output** (derived, not yet verified live):\n\n```text\nsettled\n```')
    expect(guide).toContain(`**Expected output** (recorded live on 2026-01-02 with Linkerd edge-1.2.3 and kind node v1.30.0):\n\n${fence('text', 'NAME   AGE\nweb-7c9d8-x2x9k   3m')}`)
    expect(guide).toContain('1 step shows what it printed on a live kind cluster')
    expect(guide).toContain('Recordings made with other pins (`a-hello` on 2025-12-01) are not used.')
    expect(guide).toContain('**Expected output** (derived; the live check never runs this step):')
  })

  it('explains non-zero exit statuses and alternatives where they occur', () => {
    expect(guide).toContain('**Expected to fail:** it exits with status 1, not 0, and prints (derived, not yet verified live):\n\n```text\nerror: timed out\n```')
    expect(guide).toContain('**Expected output** when it exits with status 0 (derived, not yet verified live):\n\n```text\nit happened\n```')
    expect(guide).toContain('**Or it exits with status 2, which is also correct**, and prints (derived, not yet verified live; [`03-maybe.exit2.out`](snippets/a-hello/03-maybe.exit2.out)):\n\n```text\nit did not happen\n```')
    expect(guide).toContain('**Or this, which is also correct** (derived, not yet verified live; [`04-net.offline.out`](snippets/a-hello/04-net.offline.out)), printed when the greeting server is unreachable:\n\n```text\nno greeting: ‹net-error›\n```')
  })

  it('says what to do about steps that poll, take long, create a cluster, never run live, or must run as a file', () => {
    expect(guide).toContain('run it again a few seconds later')
    expect(guide).toContain('the live check gives it up to 3 min')
    expect(guide).toContain('This step creates the kind cluster `one`, and kind switches kubectl to it.')
    expect(guide).toContain('The live check never runs this step (the check needs the tool first)')
    expect(guide).toContain('Run this one as a file, `bash snippets/setup/01-install.sh`: pasted into your terminal, its `set -euo pipefail` and `exit` would act on your shell itself.')
    expect(section(guide, 'Appendix')).not.toContain('Run this one as a file')
    expect(guide).toContain('*No expected output: what it prints varies from run to run. It worked if it exits with status 0.*')
    expect(guide).toContain('once you have run `01-install` and `02-create` by hand (the driver never does)')
  })

  it('is deterministic', () => {
    expect(renderWorkshop(readWorkshopInput(fixture()))).toBe(guide)
  })
})

describe('the guide\'s input checks', () => {
  function failure(overrides: Record<string, string>): string {
    try {
      readWorkshopInput(fixture(overrides))
    }
    catch (error) {
      if (error instanceof SnippetInputError)
        return error.message
      throw error
    }
    return 'no error'
  }

  it('refuses a live scenario without an intro, at its file and line', () => {
    expect(failure({ 'snippets/b-recorded/scenario.yaml': '# A step recorded live\ncluster: one\nafter: [a-hello]\nsteps:\n  - step: 01-show\n    on-stage: 2s\n' }))
      .toBe('snippets/b-recorded/scenario.yaml:2: scenario b-recorded runs live, so it needs "intro:": 2 or 3 sentences on why it matters, which WORKSHOP.md prints above its steps')
  })

  it('refuses an intro of one sentence, of four, or that writes a pin literally', () => {
    const yaml = (intro: string) => `# A step recorded live\nintro: ${intro}\ncluster: one\nafter: [a-hello]\nsteps:\n  - step: 01-show\n    on-stage: 2s\n`
    expect(failure({
      'snippets/b-recorded/scenario.yaml': yaml('Only one sentence.'),
    }))
      .toBe('snippets/b-recorded/scenario.yaml:2: intro must be 2 or 3 sentences, got 1')
    expect(failure({
      'snippets/b-recorded/scenario.yaml': yaml('One. Two. Three. Four.'),
    }))
      .toBe('snippets/b-recorded/scenario.yaml:2: intro must be 2 or 3 sentences, got 4')
    expect(failure({
      'snippets/b-recorded/scenario.yaml': yaml('It needs Linkerd edge-1.2.3 here. That pin moves.'),
    }))
      .toBe('snippets/b-recorded/scenario.yaml:2: intro writes LINKERD_VERSION\'s pinned value edge-1.2.3 literally; WORKSHOP.md lists the pins at its top, so say it without the version')
    expect(failure({
      'snippets/b-recorded/scenario.yaml': yaml('"42"'),
    }))
      .toBe('snippets/b-recorded/scenario.yaml:2: intro must end a sentence (with ".", "!" or "?")')
  })

  it('refuses versions.env without the pins the guide names', () => {
    expect(failure({ 'snippets/versions.env': 'LINKERD_VERSION=edge-1.2.3\n' }))
      .toBe('snippets/versions.env:1: the guide names LINKERD_MAJOR, KIND_VERSION, KIND_NODE_IMAGE, KUBERNETES_VERSION, which this file does not set')
  })
})

describe('order', () => {
  const scenario = (name: string, cluster: string, after: string[] = []): GuideScenario => ({
    name,
    title: name,
    manifest: `snippets/${name}/scenario.yaml`,
    cluster,
    after,
    live: true,
    introLine: 1,
    steps: [],
  })
  const all = [
    scenario('setup', 'init'),
    scenario('a-install', 'init', ['setup']),
    scenario('c-cni', 'cni'),
    scenario('d-broken', 'cni', ['f-later']),
    scenario('f-later', 'cni', ['c-cni']),
  ]

  it('notes a scenario whose after: names one the talk runs later, and gives the one-cluster-at-a-time order', () => {
    const { sequence } = guideOrder(all)
    expect(sequence.map(s => s.name)).toEqual(['setup', 'a-install', 'c-cni', 'd-broken', 'f-later'])
    expect(orderNotes(all, sequence).map(n => [
      n.scenario.name,
      n.later.map(s => s.name),
    ])).toEqual([['d-broken', ['f-later']]])
    expect(clusterRuns(all, sequence).map(r => [
      r.cluster,
      r.scenarios.map(s => s.name),
    ])).toEqual([['init', ['setup', 'a-install']], ['cni', ['c-cni', 'f-later', 'd-broken']]])
  })
})

describe('markdown helpers', () => {
  it('numbers repeated anchors as GitHub does', () => {
    const slugger = new Slugger()
    expect(slugger.slug('01-use-context (not shown on the slides)')).toBe('01-use-context-not-shown-on-the-slides')
    expect(slugger.slug('01-use-context (not shown on the slides)')).toBe('01-use-context-not-shown-on-the-slides-1')
    expect(slugger.slug('Setup: linkerd check --pre')).toBe('setup-linkerd-check---pre')
    expect(slugger.slug('a. Linkerd with its 2.20 defaults')).toBe('a-linkerd-with-its-220-defaults')
  })

  it('keeps a table\'s columns aligned where a placeholder heads one, and leaves other text alone', () => {
    expect(readableOutput('{{timestamp}}  INFO a\n{{timestamp}} ERROR b\n', 'x.out').text).toBe('‹timestamp›    INFO a\n‹timestamp›   ERROR b')
    expect(readableOutput('pod/web-{{hash}} condition met\n', 'x.out').text).toBe('pod/web-‹hash› condition met')
  })

  it('fences text that itself holds backticks', () => {
    expect(fence('text', 'a ``` b')).toBe('````text\na ``` b\n````')
  })
})

describe('npm run write:workshop', { timeout: 60_000 }, () => {
  it('writes the guide, then --check passes; a stale file fails --check with exit 1 and a diff summary', async () => {
    const root = fixture()
    expect((await workshopCli(root, '--check')).stderr).toBe('WORKSHOP.md does not exist: run npm run write:workshop and commit it')
    const written = await workshopCli(root)
    expect(written.exitCode).toBe(0)
    expect(written.stdout).toMatch(/^wrote WORKSHOP\.md \(\d+ lines\)$/)
    expect(readdirSync(root).filter(name => name.startsWith('WORKSHOP'))).toEqual(['WORKSHOP.md'])
    const ok = await workshopCli(root, '--check')
    expect([ok.exitCode, ok.stdout]).toEqual([0, 'WORKSHOP.md is up to date'])

    writeTree(root, {
      'snippets/b-recorded/01-show.sh': step('Show it, differently.', 'kubectl get pods'),
    })
    const stale = await workshopCli(root, '--check')
    expect(stale.exitCode).toBe(1)
    const lines = stale.stderr.split('\n')
    expect(lines[0]).toMatch(/^WORKSHOP\.md:\d+: out of date with snippets\/ \(1 line\(s\) would go and 1 would come, in 1 place\(s\)\); run npm run write:workshop and commit WORKSHOP\.md$/)
    expect(lines).toContain('-[`01-show.sh`](snippets/b-recorded/01-show.sh): Show it.')
    expect(lines).toContain('+[`01-show.sh`](snippets/b-recorded/01-show.sh): Show it, differently.')
    expect(readFileSync(join(root, 'WORKSHOP.md'), 'utf8')).toContain('Show it.')
  })

  it('stops on bad input with its file and line, exit 2, and writes nothing', async () => {
    const root = fixture({ 'snippets/a-hello/scenario.yaml': '# Hello\ncluster: one\nafter: [setup]\nsteps:\n  - step: 01-hello\n    stage: true\n  - step: 02-fail\n    stage: true\n    exit: 1\n  - step: 03-maybe\n    stage: true\n    exit: [0, 2]\n  - step: 04-net\n    stage: true\n    alternatives:\n      offline: unreachable\n  - step: 05-apply\n    stage: true\n  - step: 06-settle\n    stage: true\n' })
    const result = await workshopCli(root)
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toBe('snippets/a-hello/scenario.yaml:2: scenario a-hello runs live, so it needs "intro:": 2 or 3 sentences on why it matters, which WORKSHOP.md prints above its steps')
    expect(existsSync(join(root, 'WORKSHOP.md'))).toBe(false)
  })

  it('summarises a long difference in its first places', () => {
    const committed = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n')
    const generated = committed.replace(/line (\d*[05])$/gm, 'changed $1')
    const stale = staleness(committed, generated)!
    expect(stale.places).toBe(8)
    expect(stale.firstLine).toBe(1)
    expect(stale.summary.split('\n').filter(line => line.startsWith('@@'))).toHaveLength(3)
    expect(stale.summary).toContain('(5 more places)')
    expect(staleness(committed, committed)).toBeUndefined()
  })
})
