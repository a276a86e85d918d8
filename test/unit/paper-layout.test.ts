import { describe, expect, it } from 'vitest'
import { A4, CHEAT_SHEET_MIN_PT, cheatSheetLayout, fitsOn, handoutLayout, landscape, LETTER, printedPt, PRINTER_SAFE_MARGIN_MM, ptFromMm, SHARED_SHEET } from '../../scripts/export/paper'

// Slidev prints its 980 × 552 canvas as a 735.12 × 414 pt page.
const SLIDE_ASPECT = 735.12 / 414

function inside(box: { x: number, y: number, width: number, height: number }, page: { widthMm: number, heightMm: number }, margin: number): boolean {
  return box.x >= margin - 1e-9 && box.y >= margin - 1e-9
    && box.x + box.width <= page.widthMm - margin + 1e-9
    && box.y + box.height <= page.heightMm - margin + 1e-9
}

describe('paper', () => {
  it('is a sheet that prints at 100% on both A4 and Letter', () => {
    expect(SHARED_SHEET).toEqual({ widthMm: 210, heightMm: 279.4 })
    for (const sheet of [A4, LETTER]) {
      expect(fitsOn(SHARED_SHEET, sheet)).toBe(true)
      expect(fitsOn(landscape(SHARED_SHEET), landscape(sheet))).toBe(true)
    }
    expect(fitsOn(A4, LETTER)).toBe(false)
    expect(fitsOn(LETTER, A4)).toBe(false)
  })

  it('converts millimetres and canvas pixels to printed points', () => {
    expect(ptFromMm(25.4)).toBeCloseTo(72)
    // A slide printed 980 mm wide would show 1 px as 1 mm.
    expect(printedPt(10, 980)).toBeCloseTo(ptFromMm(10))
  })
})

describe('the handout page', () => {
  const layout = handoutLayout(SLIDE_ASPECT)

  it('puts the slide at the top, full width between the margins, then its caption, then the notes', () => {
    expect(layout.page).toEqual(SHARED_SHEET)
    for (const box of [layout.slide, layout.caption, layout.notes])
      expect(inside(box, layout.page, PRINTER_SAFE_MARGIN_MM)).toBe(true)
    expect(layout.slide.width / layout.slide.height).toBeCloseTo(SLIDE_ASPECT)
    expect(layout.caption.y).toBeGreaterThan(layout.slide.y + layout.slide.height)
    expect(layout.notes.y).toBeGreaterThanOrEqual(layout.caption.y + layout.caption.height)
  })

  it('leaves the notes room for 20 lines, in type as large as a book\'s', () => {
    const lineMm = layout.notesPt * 1.45 * 25.4 / 72
    expect(layout.notes.height / lineMm).toBeGreaterThan(20)
    expect(layout.notesPt).toBeGreaterThanOrEqual(10)
  })
})

describe('the cheat sheet page', () => {
  const layout = cheatSheetLayout(SLIDE_ASPECT)

  it('is landscape, with the slide centred inside a printer\'s margins', () => {
    expect(layout.page).toEqual({ widthMm: 279.4, heightMm: 210 })
    expect(inside(layout.slide, layout.page, PRINTER_SAFE_MARGIN_MM)).toBe(true)
    expect(layout.slide.width).toBeCloseTo(layout.page.widthMm - 2 * PRINTER_SAFE_MARGIN_MM)
    expect(layout.slide.y).toBeCloseTo((layout.page.heightMm - layout.slide.height) / 2)
  })

  it('prints the cheat sheet\'s 13px type above the minimum, and the deck\'s 12px floor just under it', () => {
    expect(printedPt(13, layout.slide.width)).toBeGreaterThanOrEqual(CHEAT_SHEET_MIN_PT)
    expect(printedPt(13, layout.slide.width)).toBeCloseTo(9.9, 1)
    expect(printedPt(12, layout.slide.width)).toBeLessThan(CHEAT_SHEET_MIN_PT)
  })
})
