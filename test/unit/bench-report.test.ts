import type { DeckMeasurement, StepTiming } from '../../scripts/bench/result'
import { describe, expect, it } from 'vitest'
import { formatSpread, nameStep, navigationFigures, renderTable, rows, slowestSteps } from '../../scripts/bench/report'

function steps(ms: Record<string, number>): StepTiming[] {
  return Object.entries(ms).map(([at, value]) => {
    const [slide, click] = at.split(':').map(Number)
    return {
      slide: slide!,
      click: click!,
      title: `Slide ${slide}`,
      ms: value,
    }
  })
}

function deck(overrides: Partial<DeckMeasurement>): DeckMeasurement {
  return {
    name: 'deck',
    entry: 'slides.md',
    slides: 4,
    buildSeconds: [8, 10, 12],
    distBytes: 4 * 1024 * 1024,
    jsBytesBeforeFirstSlide: [600 * 1024],
    firstSlideMs: [400, 500, 450],
    navigation: [
      steps({
        '1:1': 10,
        '2:0': 20,
        '3:0': 30,
        '4:0': 40,
      }),
      steps({
        '1:1': 12,
        '2:0': 22,
        '3:0': 32,
        '4:0': 45,
      }),
    ],
    exportSeconds: [4, 6],
    pdfPages: 4,
    pdfBytes: [40_000, 40_000],
    offlineRequests: [],
    ...overrides,
  }
}

const starter = deck({
  name: 'starter',
  slides: 2,
  buildSeconds: [20],
  firstSlideMs: [400],
  navigation: [steps({ '1:0': 30, '2:0': 100 })],
  exportSeconds: [4],
  pdfPages: 2,
  pdfBytes: [60_000],
})

describe('naming the slowest steps', () => {
  it('ranks steps by their p95 over the runs and names slide number, title and click', () => {
    const slow = slowestSteps([
      steps({ '7:0': 300, '7:1': 20, '8:0': 40 }),
      steps({ '7:0': 100, '7:1': 25, '8:0': 45 }),
    ], 2)
    expect(slow.map(step => [step.slide, step.click])).toEqual([[7, 0], [8, 0]])
    expect(slow[0]!.spread).toEqual({
      median: 200,
      min: 100,
      max: 300,
      n: 2,
    })
    expect(slow[0]!.p95Ms).toBeCloseTo(290)
    expect(nameStep(slow[0]!)).toBe('slide 7 (Slide 7), arriving')
    expect(nameStep({ slide: 9, title: 'Mermaid', click: 2 })).toBe('slide 9 (Mermaid), click 2')
    expect(nameStep({ slide: 9, title: '', click: 0 })).toBe('slide 9, arriving')
  })

  it('counts the steps at or over the 50 ms target, each judged on its p95 over the runs', () => {
    const figures = navigationFigures([
      steps({ '1:0': 10, '2:0': 49, '3:0': 60 }),
      steps({ '1:0': 12, '2:0': 51, '3:0': 20 }),
    ])
    expect(figures.stepsOverTarget).toBe(2)
    expect(figures.worstMs).toBe(60)
    expect(figures.steps).toBe(3)
    expect(() => navigationFigures([[]])).toThrow(/no navigation steps/)
  })
})

describe('the bench table', () => {
  it('gives per-slide figures as ratios against the starter when the decks differ in size', () => {
    const byFigure = new Map(rows({
      deck: deck({}),
      starter,
    }).map(row => [row.figure, row]))
    // build 10 s over 4 slides against 20 s over 2 slides: a quarter of the time per slide
    expect(byFigure.get('cold build')!.ratio).toBe(0.5)
    expect(byFigure.get('cold build per slide')!.ratio).toBe(0.25)
    expect(byFigure.get('dist/ bytes per slide')!.deck.median).toBe(1024 * 1024)
    // export 5 s / 4 pages against 4 s / 2 pages
    expect(byFigure.get('PDF export per page')!.ratio).toBeCloseTo(0.625)
  })

  it('checks each target of the issue, and says which are missed', () => {
    const byFigure = new Map(rows({
      deck: deck({}),
      starter,
    }).map(row => [row.figure, row]))
    expect(byFigure.get('first slide visible')!.target).toEqual({ text: '<= 1.5x starter', met: true })
    expect(byFigure.get('PDF export per page')!.target!.met).toBe(false)
    expect(byFigure.get('PDF bytes per page')!.target!.met).toBe(true)
    expect(byFigure.get('navigation, slowest step\'s p95 over runs')!.target).toEqual({ text: '< 50 ms on every step (0 of 4 over)', met: true })
    const slowFirstSlide = rows({
      deck: deck({
        firstSlideMs: [601],
      }),
      starter,
    })
    expect(slowFirstSlide.find(row => row.figure === 'first slide visible')!.target!.met).toBe(false)
  })

  it('prints a Markdown table with the spread of each figure, then the slowest steps by name', () => {
    const table = renderTable({
      deck: deck({}),
      starter,
    }, 2)
    const lines = table.split('\n')
    expect(lines[0]).toMatch(/^\| figure +\| this deck \(4 slides\) +\| starter \(2 slides\) +\| ratio +\| target +\|$/)
    expect(lines[1]).toMatch(/^\|-+\|-+\|-+\|-+\|-+\|$/)
    expect(lines.every(line => !line.startsWith('|') || line.length === lines[0]!.length)).toBe(true)
    expect(table).toContain('| first slide visible')
    expect(table).toContain('450 ms (400 ms-500 ms, n=3)')
    expect(table).toContain('PDF export per page')
    expect(table).toMatch(/<= 0\.5x starter: MISSED/)
    expect(table).toContain('p95 45 ms, median 43 ms (40 ms-45 ms, n=2): slide 4 (Slide 4), arriving')
    expect(table).toContain('slide 2 (Slide 2), arriving')
  })

  it('shows bytes in KiB and MiB, and a single value without a range', () => {
    expect(formatSpread({
      median: 2048,
      min: 2048,
      max: 2048,
      n: 1,
    }, 'B')).toBe('2.0 KiB')
    expect(formatSpread({
      median: 3 * 1024 * 1024,
      min: 1024 * 1024,
      max: 5 * 1024 * 1024,
      n: 3,
    }, 'B')).toBe('3.0 MiB (1.0 MiB-5.0 MiB, n=3)')
    expect(formatSpread({ median: 1.234, min: 1, max: 2, n: 2 }, 's')).toBe('1.23 s (1.00 s-2.00 s, n=2)')
  })
})
