import type { DensityFragment } from '../../scripts/deck/text-density'
import { describe, expect, it } from 'vitest'
import { countLines, coveredShare, textDensity } from '../../scripts/deck/text-density'
import { densityFailures, MAX_PROSE_LINES, MAX_TEXT_COVERAGE } from '../browser/harness/browser-gates'

const canvas = { width: 980, height: 552 }
// 245 × 138 cells of 4px.
const cells = 245 * 138

describe('coveredShare: the union of text boxes on a 4px grid', () => {
  it('is 0 for no text and 1 for a box over the whole canvas', () => {
    expect(coveredShare([], canvas)).toBe(0)
    expect(coveredShare([{ x: 0, y: 0, width: 980, height: 552 }], canvas)).toBe(1)
  })

  it('counts the cells whose centre lies inside a box', () => {
    expect(coveredShare([{ x: 0, y: 0, width: 100, height: 100 }], canvas)).toBe(25 * 25 / cells)
    // A 2px-wide box covers the cell whose centre (x = 2) it spans, and no other.
    expect(coveredShare([{ x: 1, y: 1, width: 2, height: 2 }], canvas)).toBe(1 / cells)
    // One that misses every centre covers nothing.
    expect(coveredShare([{ x: 3, y: 3, width: 2, height: 2 }], canvas)).toBe(0)
  })

  it('counts nested and overlapping boxes once', () => {
    const paragraph = { x: 40, y: 40, width: 400, height: 20 }
    const bold = { x: 100, y: 40, width: 60, height: 20 }
    expect(coveredShare([paragraph, bold], canvas)).toBe(coveredShare([paragraph], canvas))
    const left = { x: 0, y: 0, width: 200, height: 40 }
    const right = { x: 100, y: 0, width: 200, height: 40 }
    expect(coveredShare([left, right], canvas)).toBe(75 * 10 / cells)
  })

  it('leaves out what lies outside the canvas', () => {
    expect(coveredShare([
      {
        x: -100,
        y: -100,
        width: 200,
        height: 200,
      },
    ], canvas)).toBe(25 * 25 / cells)
    expect(coveredShare([
      {
        x: 900,
        y: 500,
        width: 400,
        height: 400,
      },
    ], canvas)).toBe(20 * 13 / cells)
    expect(coveredShare([{ x: 2000, y: 0, width: 10, height: 10 }], canvas)).toBe(0)
  })

  it('ignores empty boxes', () => {
    expect(coveredShare([
      { x: 10, y: 10, width: 0, height: 20 },
      { x: 10, y: 10, width: 20, height: -5 },
    ], canvas)).toBe(0)
  })
})

describe('countLines: rendered lines, per block', () => {
  it('is 0 without text', () => {
    expect(countLines([])).toBe(0)
  })

  it('takes fragments of one block on the same line as one line, whatever their heights', () => {
    // "Runs as UID **65534**, not `2102`": plain, bold and inline code on one line.
    expect(countLines([
      { block: 0, y: 100, height: 19 },
      { block: 0, y: 100, height: 19 },
      { block: 0, y: 102, height: 15 },
      // a superscript, raised a little
      { block: 0, y: 96, height: 11 },
    ])).toBe(1)
  })

  it('counts a wrapped paragraph as the lines it wraps to', () => {
    expect(countLines([
      { block: 0, y: 100, height: 19 },
      { block: 0, y: 124, height: 19 },
      { block: 0, y: 148, height: 19 },
    ])).toBe(3)
  })

  it('adds up blocks side by side: two columns of bullets', () => {
    expect(countLines([
      { block: 0, y: 100, height: 19 },
      { block: 1, y: 100, height: 19 },
      { block: 2, y: 100, height: 19 },
      { block: 2, y: 124, height: 19 },
    ])).toBe(4)
  })

  it('counts a table row as its tallest cell', () => {
    expect(countLines([
      // row 0: a one-line cell, a two-line cell, and a one-line cell centred beside it
      { block: 0, row: 0, y: 100, height: 19 },
      { block: 1, row: 0, y: 100, height: 19 },
      { block: 1, row: 0, y: 124, height: 19 },
      { block: 2, row: 0, y: 112, height: 19 },
      // row 1: two one-line cells
      { block: 3, row: 1, y: 160, height: 19 },
      { block: 4, row: 1, y: 160, height: 19 },
      // a paragraph under the table
      { block: 5, y: 200, height: 19 },
    ])).toBe(2 + 1 + 1)
  })
})

describe('textDensity', () => {
  const fragment = (kind: DensityFragment['kind'], block: number, y: number): DensityFragment => ({
    kind,
    block,
    x: 40,
    y,
    width: 400,
    height: 20,
  })

  it('counts prose lines only, and every kind of text towards the coverage', () => {
    const fragments = [
      fragment('prose', 0, 40),
      fragment('code', 1, 80),
      fragment('code', 1, 104),
      fragment('diagram', 2, 140),
    ]
    expect(textDensity(fragments, canvas)).toEqual({
      coverage: coveredShare(fragments, canvas),
      proseLines: 1,
    })
    expect(textDensity(fragments, canvas).coverage).toBe(4 * 100 * 5 / cells)
  })
})

describe('densityFailures', () => {
  const state = (coverage: number, proseLines: number) => ({
    coverage: { value: coverage, clicks: 2 },
    proseLines: { value: proseLines, clicks: 3 },
  })

  it('lets a slide at the limits pass', () => {
    expect(densityFailures(state(MAX_TEXT_COVERAGE, MAX_PROSE_LINES))).toEqual([])
  })

  it('reports each measure over its limit once, at the click step where it peaked', () => {
    expect(densityFailures(state(0.312, MAX_PROSE_LINES + 7))).toEqual([
      { gate: 'legibility', clicks: 2, detail: `too dense: text covers 31.2% of the canvas, over the ${MAX_TEXT_COVERAGE * 100}% maximum` },
      { gate: 'legibility', clicks: 3, detail: `too dense: ${MAX_PROSE_LINES + 7} lines of prose, over the ${MAX_PROSE_LINES}-line maximum` },
    ])
  })
})
