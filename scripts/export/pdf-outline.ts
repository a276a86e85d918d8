import type { DeckSlide } from '../core/deck-source'
import { outlinePdfFactory } from '@lillallol/outline-pdf'
import * as pdfLib from 'pdf-lib'

export interface OutlineEntry {
  page: number
  depth: number
  title: string
}

/** Slides that open a part of the talk: the title slide and every `layout: section` slide. */
export function isSectionStart(slide: Pick<DeckSlide, 'no' | 'frontmatter'>): boolean {
  return slide.no === 1 || slide.frontmatter.layout === 'section'
}

/** A two-level outline: parts of the talk, and under each the titled slides it holds. */
export function outlineFromDeck(slides: Array<Pick<DeckSlide, 'no' | 'title' | 'frontmatter'>>): OutlineEntry[] {
  return slides
    .filter(slide => slide.title)
    .map(slide => ({
      page: slide.no,
      depth: isSectionStart(slide) ? 0 : 1,
      title: slide.title,
    }))
}

/** The outline in the text form @lillallol/outline-pdf reads: `page|dashes|title`, one per line. */
export function outlineText(entries: OutlineEntry[]): string {
  return entries.map(entry => `${entry.page}|${'-'.repeat(entry.depth)}|${entry.title.replace(/\|/g, '/')}`).join('\n')
}

/** Adds the outline; entries for pages the PDF lacks are left out (the page count check reports those). */
export async function addOutline(pdf: Uint8Array, entries: OutlineEntry[]): Promise<Uint8Array> {
  const pages = (await pdfLib.PDFDocument.load(pdf, { updateMetadata: false })).getPageCount()
  const present = entries.filter(entry => entry.page <= pages)
  if (present.length === 0)
    return pdf
  const outlinePdf = outlinePdfFactory(pdfLib)
  const document = await outlinePdf({
    pdf,
    outline: outlineText(present),
  })

  return document.save()
}

/** Titles of a PDF's outline, depth first, as a PDF reader lists them. */
export async function readOutlineTitles(pdf: Uint8Array): Promise<string[]> {
  const document = await pdfLib.PDFDocument.load(pdf, { updateMetadata: false })
  const { PDFDict, PDFName, PDFHexString, PDFString } = pdfLib
  const outlines = document.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)
  const titles: string[] = []
  const visit = (item: pdfLib.PDFDict | undefined): void => {
    for (let node = item; node; node = node.lookupMaybe(PDFName.of('Next'), PDFDict)) {
      const title = node.lookupMaybe(PDFName.of('Title'), PDFString, PDFHexString)
      if (title)
        titles.push(title.decodeText())
      visit(node.lookupMaybe(PDFName.of('First'), PDFDict))
    }
  }
  visit(outlines?.lookupMaybe(PDFName.of('First'), PDFDict))
  return titles
}
