import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { readDeck } from '../../scripts/core/deck-source'
import { countMermaidBlocks, withoutCodeFences } from '../../scripts/core/markdown'
import { formatProblem } from '../../scripts/core/problem'
import { discoverDeckAssets } from '../../scripts/deck/deck-assets'
import { lintDeck } from '../../scripts/deck/deck-lint'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/bad-input/${name}`, import.meta.url))

async function problemsOf(entry: string): Promise<string[]> {
  const deck = await readDeck(entry)
  return lintDeck(deck, discoverDeckAssets(deck.root)).map(formatProblem)
}

describe('lintDeck on broken fixtures', () => {
  it('names a missing snippet import or terminal step, and a stepper without its clicks, by file and line', async () => {
    expect(await problemsOf(fixture('missing-snippet.md'))).toEqual([
      'missing-snippet.md:15: snippet not found: @/snippets/absent.sh',
      'missing-snippet.md:25: snippet step not found: absent/01-nothing (no snippets/absent/01-nothing.sh)',
      'missing-snippet.md:33: a slide with <PodStartup> needs "clicks: 8" in its frontmatter, one per step (has none)',
    ])
  })

  it('names a missing image by file and line, and accepts the one that exists', async () => {
    expect(await problemsOf(fixture('missing-image.md'))).toEqual(['missing-image.md:9: image not found: /absent.svg'])
  })

  it('names unknown components and icons, and accepts built-ins and installed icons', async () => {
    expect(await problemsOf(fixture('missing-component.md'))).toEqual([
      'missing-component.md:11: unknown component or icon: <NoSuchComponent> (not in components/, Slidev\'s built-ins or an installed @iconify-json set)',
      'missing-component.md:13: icon not found in @iconify-json/carbon: no-such-icon',
    ])
  })

  it('names malformed frontmatter by file and line', async () => {
    const problems = await problemsOf(fixture('bad-frontmatter.md'))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^bad-frontmatter\.md:12: malformed frontmatter: /)
  })

  it('rejects remote images, including a remote cover background', async () => {
    expect(await problemsOf(fixture('remote-image.md'))).toEqual([
      'remote-image.md:7: remote image: https://deck-fixture.invalid/cat.png (the deck must work offline: put the file in public/)',
      'remote-image.md:13: remote image: https://cover.sli.dev (the deck must work offline: put the file in public/)',
    ])
  })

  it('rejects raw emoji, whose look depends on the exporting machine', async () => {
    expect(await problemsOf(fixture('raw-emoji.md'))).toEqual([
      'raw-emoji.md:9: raw emoji 🚀 renders with whatever font the exporting machine has: use an icon from an @iconify-json set',
    ])
  })

  it('names a link to no slide and a route alias used twice', async () => {
    expect(await problemsOf(fixture('broken-link.md'))).toEqual([
      'broken-link.md:14: routeAlias "start" is already used by slide 1 (broken-link.md:6)',
      'broken-link.md:9: <Link to="nowhere"> leads nowhere: no slide has that routeAlias or number',
    ])
  })

  it('requires speaker notes on every slide', async () => {
    expect(await problemsOf(fixture('no-notes.md'))).toEqual(['no-notes.md:11: slide 2 has no speaker notes'])
  })

  it('finds nothing wrong with the talk', async () => {
    expect(await problemsOf(`${repo}/slides.md`)).toEqual([])
  })
})

describe('markup helpers', () => {
  it('ignores tags and images inside fenced code', () => {
    const content = [
      'before',
      '```html',
      '<NotAComponent />',
      '```',
      'after',
    ].join('\n')
    expect(withoutCodeFences(content).split('\n')).toEqual(['before', '', '', '', 'after'])
  })

  it('counts mermaid blocks', () => {
    expect(countMermaidBlocks('```mermaid\nflowchart LR\n```\n\n```bash\necho\n```\n~~~mermaid\nA\n~~~')).toBe(2)
  })
})

describe('check-deck CLI', () => {
  it('exits non-zero and prints file:line for a broken deck', async () => {
    const result = await execa('tsx', [
      'scripts/check-deck.ts',
      fixture('missing-snippet.md'),
    ], { cwd: repo, preferLocal: true, reject: false })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('missing-snippet.md:15: snippet not found')
  })
})
