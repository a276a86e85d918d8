import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readDeck } from '../../scripts/core/deck-source'
import { readSourcesIndex, sourcesIndexProblems } from '../../scripts/deck/sources-index'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const sources = readFileSync(`${repo}/SOURCES.md`, 'utf8')
function slide(no: number, title: string) {
  return ({
    no,
    title,
    file: 'pages/x.md',
    line: no * 10,
  }) as never
}

describe('SOURCES.md, index by slide', () => {
  it('lists every slide of the deck with sections that exist', async () => {
    const deck = await readDeck(`${repo}/slides.md`)
    expect(sourcesIndexProblems(deck, sources)).toEqual([])
    expect(readSourcesIndex(sources).filter(row => row.sections.length).length).toBeGreaterThan(deck.slides.length / 2)
  })

  const fixture = [
    '# Sources',
    '## Index by slide',
    '| Slide | Sources under |',
    '|---|---|',
    '| Cover | — |',
    '| Pods | Part 1 · Nowhere |',
    '| Gone | Part |',
    '## Part 1: pods',
    '## Part 2: nets',
  ].join('\n')

  it('reports a new slide without a row, a row for no slide, and a section that is missing or ambiguous', () => {
    const deck = {
      slides: [slide(1, 'Cover'), slide(2, 'Pods'), slide(3, 'New slide')],
    }
    expect(sourcesIndexProblems(deck, fixture)).toEqual([
      'SOURCES.md:1: slide 3 "New slide" (pages/x.md:30) is not in the index by slide: add a row naming its sources, or — if it makes no claim',
      'SOURCES.md:6: "Nowhere" names no section (a section is named by the start of its heading)',
      'SOURCES.md:7: "Gone" is no slide\'s title',
      'SOURCES.md:7: "Part" names 2 sections (a section is named by the start of its heading)',
    ])
  })

  it('reports a SOURCES.md without the index', () => {
    expect(sourcesIndexProblems({ slides: [] }, '# Sources\n')).toEqual(['SOURCES.md:1: no "## Index by slide" table'])
  })
})
