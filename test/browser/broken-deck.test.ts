import type { GateName, GateRun } from './harness/browser-gates'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildDeck } from '../../scripts/core/build-deck'
import { findLocalChromium } from '../../scripts/core/chromium'
import { readDeck } from '../../scripts/core/deck-source'
import { formatFailure, MAX_PROSE_LINES, MAX_TEXT_COVERAGE, runBrowserGates } from './harness/browser-gates'

const entry = fileURLToPath(new URL('../fixtures/broken-deck/slides.md', import.meta.url))

// Each broken slide of the fixture breaks exactly one gate; slides 1 and 8 are healthy.
// Slides 12 and 13 break the legibility gate's density check: one by its lines of prose, one by its coverage.
const expected: Record<GateName, { no: number, title: string, line: number }[]> = {
  overflow: [{ no: 2, title: 'An overflowing code block', line: 24 }],
  mermaid: [{ no: 3, title: 'A mermaid syntax error', line: 60 }],
  request: [{ no: 4, title: 'A remote background image', line: 76 }],
  notes: [{ no: 5, title: 'A slide without notes', line: 84 }],
  image: [{ no: 6, title: 'An image that does not load', line: 90 }],
  console: [{ no: 7, title: 'A component that logs an error', line: 100 }],
  legibility: [
    { no: 9, title: 'Prose too small to read', line: 130 },
    { no: 10, title: 'Code zoomed out too far', line: 142 },
    { no: 11, title: 'A diagram scaled down too far', line: 154 },
    { no: 12, title: 'Too many lines of prose', line: 167 },
    { no: 13, title: 'A raw iptables dump', line: 211 },
  ],
}

describe('the browser gates catch each defect of the broken fixture deck, on its slide', () => {
  let run: GateRun

  beforeAll(async () => {
    const deck = await readDeck(entry)
    const [distDir, chromium] = await Promise.all([buildDeck(entry), findLocalChromium()])
    run = await runBrowserGates({
      target: { distDir },
      deck,
      chromiumPath: chromium.path,
    })
  })

  // Presenter notes are checked once, in the first scheme (light): they don't depend on it.
  const schemesOf = (gate: GateName): Array<'light' | 'dark'> => gate === 'notes'
    ? ['light']
    : ['light', 'dark']

  for (const [gate, slides] of Object.entries(expected) as [GateName, typeof expected[GateName]][]) {
    it(`the ${gate} gate reports exactly slide ${slides.map(slide => slide.no).join(', ')}, in ${schemesOf(gate).join(' and ')}`, () => {
      const failures = run.failures.filter(failure => failure.gate === gate)
      expect(failures.filter(failure => !schemesOf(gate).includes(failure.scheme)).map(formatFailure)).toEqual([])
      for (const scheme of schemesOf(gate)) {
        const reported = failures.filter(failure => failure.scheme === scheme).map(failure => ({ no: failure.slide.no, title: failure.slide.title, line: failure.slide.line }))
        expect(reported.length, failures.map(formatFailure).join('\n')).toBeGreaterThan(0)
        expect(new Set(reported.map(slide => JSON.stringify(slide)))).toEqual(new Set(slides.map(slide => JSON.stringify(slide))))
      }
    })
  }

  it('the legibility gate\'s density check reports too many lines of prose on slide 12 and too much text on slide 13, and nothing else', () => {
    for (const scheme of ['light', 'dark'] as const) {
      const dense = run.failures
        .filter(failure => failure.gate === 'legibility' && failure.scheme === scheme && failure.detail.startsWith('too dense'))
        .map(failure => `${failure.slide.no}: ${failure.detail.replace(/[\d.]+(?=%? of the canvas| lines of prose)/, 'N')}`)
      expect(dense).toEqual([
        `12: too dense: N lines of prose, over the ${MAX_PROSE_LINES}-line maximum`,
        `13: too dense: text covers N% of the canvas, over the ${MAX_TEXT_COVERAGE * 100}% maximum`,
      ])
    }
  })

  it('measures every click step, and finds a healthy slide well under both limits', () => {
    for (const no of [1, 8]) {
      const states = run.visited.filter(state => state.no === no && state.scheme === 'light')
      expect(states.length).toBeGreaterThan(0)
      for (const { density } of states) {
        expect(density!.coverage).toBeGreaterThan(0)
        expect(density!.coverage).toBeLessThan(MAX_TEXT_COVERAGE / 2)
        expect(density!.proseLines).toBeGreaterThan(0)
        expect(density!.proseLines).toBeLessThan(MAX_PROSE_LINES / 2)
      }
    }
    // Slide 8 reveals a bullet per click: hidden steps are not counted, so the lines grow.
    expect(run.visited.filter(state => state.no === 8 && state.scheme === 'light').map(state => state.density!.proseLines)).toEqual([1, 2, 3])
    const dense = run.visited.find(state => state.no === 12 && state.scheme === 'light')!.density!
    expect(dense.proseLines).toBe(31)
    expect(dense.coverage).toBeLessThan(MAX_TEXT_COVERAGE)
  })

  it('names the slide, its title and its source line in every failure', () => {
    const overflow = run.failures.find(failure => failure.gate === 'overflow')!
    expect(formatFailure(overflow)).toMatch(/^\[overflow\] slide 2 "An overflowing code block" \(slides\.md:24\) \((light|dark)\): /)
  })
})
