// Where a slide and its notes go on paper. Attendees print on A4 or on US Letter, so every page
// is the part the two sheets share: 210 mm wide (A4) by 279.4 mm tall (Letter). It prints at 100%
// on either, and a "fit to page" print scales it by 1.00 on both: the sizes below are what ends
// up on paper.

export interface Paper { widthMm: number, heightMm: number }

export const A4: Paper = { widthMm: 210, heightMm: 297 }
export const LETTER: Paper = { widthMm: 215.9, heightMm: 279.4 }

/** The sheet that fits on both A4 and Letter, upright. */
export const SHARED_SHEET: Paper = {
  widthMm: Math.min(A4.widthMm, LETTER.widthMm),
  heightMm: Math.min(A4.heightMm, LETTER.heightMm),
}

export function landscape(paper: Paper): Paper {
  return { widthMm: paper.heightMm, heightMm: paper.widthMm }
}

export function fitsOn(page: Paper, sheet: Paper): boolean {
  const upright = page.widthMm <= sheet.widthMm + 1e-9 && page.heightMm <= sheet.heightMm + 1e-9
  const turned = page.widthMm <= sheet.heightMm + 1e-9 && page.heightMm <= sheet.widthMm + 1e-9
  return upright || turned
}

/** A rectangle on the page, in millimetres from its top-left corner. */
export interface Box { x: number, y: number, width: number, height: number }

export const MM_PER_PT = 25.4 / 72
export const ptFromMm = (mm: number): number => mm / MM_PER_PT

/** The slide canvas Slidev lays slides out on, in CSS pixels. */
export const CANVAS_WIDTH_PX = 980

/** The size on paper of text that is `px` pixels on the slide canvas, once the slide is `slideWidthMm` wide. */
export function printedPt(px: number, slideWidthMm: number): number {
  return ptFromMm(px * slideWidthMm / CANVAS_WIDTH_PX)
}

/** A margin most office printers can print inside (they lose 4 to 6 mm at the edges). */
export const PRINTER_SAFE_MARGIN_MM = 8

export interface HandoutLayout {
  page: Paper
  /** The slide, with a hairline frame around it. */
  slide: Box
  /** The line under the slide: its number and part. */
  caption: Box
  /** Where the notes go: they must fit in here, on the slide's own page. */
  notes: Box
  /** The notes' type size, in points. */
  notesPt: number
}

/**
 * One slide per page, at the full width between the margins, its caption and notes under it.
 * `slideAspect` is the printed slide's width over its height (Slidev prints 980 × 552).
 */
export function handoutLayout(slideAspect: number): HandoutLayout {
  const page = SHARED_SHEET
  const margin = 14
  const width = page.widthMm - 2 * margin
  const slide = {
    x: margin,
    y: margin,
    width,
    height: width / slideAspect,
  }
  const caption = {
    x: margin,
    y: slide.y + slide.height + 4,
    width,
    height: 6,
  }
  const notesTop = caption.y + caption.height + 2
  return {
    page,
    slide,
    caption,
    notes: {
      x: margin,
      y: notesTop,
      width,
      height: page.heightMm - margin - notesTop,
    },
    notesPt: 11,
  }
}

export interface CheatSheetLayout {
  page: Paper
  slide: Box
}

/** The cheat sheet: its slide across a landscape page, as wide as a printer's margins allow, centred. */
export function cheatSheetLayout(slideAspect: number): CheatSheetLayout {
  const page = landscape(SHARED_SHEET)
  const width = page.widthMm - 2 * PRINTER_SAFE_MARGIN_MM
  const height = width / slideAspect
  return {
    page,
    slide: {
      x: PRINTER_SAFE_MARGIN_MM,
      y: (page.heightMm - height) / 2,
      width,
      height,
    },
  }
}

/** The smallest printed size the cheat sheet allows, in points: small print on a desk, not a slide. */
export const CHEAT_SHEET_MIN_PT = 9.5
