import type { Box, Paper } from './paper'
import { grayscale, PDFDocument } from 'pdf-lib'
import { ptFromMm } from './paper'

export interface Placement {
  /** 0-based page of the slides PDF. */
  slidePage: number
  /** 0-based page of the result it goes on. */
  page: number
  box: Box
}

/** Width over height of the first page of a PDF: Slidev prints its 980 × 552 canvas. */
export async function pageAspect(pdf: Uint8Array): Promise<number> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false })
  const { width, height } = document.getPage(0).getSize()
  return width / height
}

/**
 * Draws printed slides onto pages: each slide page becomes a form XObject drawn into its box, so
 * its text stays text (selectable, found by pdftotext) and its diagrams stay vector. `base` is a
 * PDF to draw on (the handout's text pages, which draw their own frames); without one, blank
 * pages of `paper` are added.
 */
export async function placeSlides(options: { slides: Uint8Array, base?: Uint8Array, paper: Paper, placements: Placement[], frame?: boolean }): Promise<PDFDocument> {
  const document = options.base
    ? await PDFDocument.load(options.base, { updateMetadata: false })
    : await PDFDocument.create()
  const pageCount = Math.max(...options.placements.map(placement => placement.page + 1))
  while (document.getPageCount() < pageCount) {
    document.addPage([ptFromMm(options.paper.widthMm), ptFromMm(options.paper.heightMm)])
  }
  const slides = await PDFDocument.load(options.slides, { updateMetadata: false })
  const embedded = await document.embedPages(options.placements.map(placement => slides.getPage(placement.slidePage)))
  options.placements.forEach((placement, index) => {
    const page = document.getPage(placement.page)
    const { box } = placement
    page.drawPage(embedded[index]!, {
      x: ptFromMm(box.x),
      y: page.getHeight() - ptFromMm(box.y + box.height),
      width: ptFromMm(box.width),
      height: ptFromMm(box.height),
    })
    // A hairline frame on the slide's edge: a white slide on white paper needs one, and it covers
    // the anti-aliased seam of the print's black page background at that edge.
    if (options.frame) {
      page.drawRectangle({
        x: ptFromMm(box.x),
        y: page.getHeight() - ptFromMm(box.y + box.height),
        width: ptFromMm(box.width),
        height: ptFromMm(box.height),
        borderColor: grayscale(0.62),
        borderWidth: 0.85,
      })
    }
  })
  return document
}
