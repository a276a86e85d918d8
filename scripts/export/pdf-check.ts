import type { DeckSlide } from '../core/deck-source'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { comparableText } from '../core/markdown'
import { readOutlineTitles } from './pdf-outline'

/** What poppler and pdf-lib can tell about an exported PDF. */
export interface PdfFacts {
  pages: number
  /** Text of each page, in order. */
  pageTexts: string[]
  /** 1-based numbers of pages whose rendering is a single flat colour. */
  uniformPages: number[]
  outlineTitles: string[]
}

type SlideRef = Pick<DeckSlide, 'no' | 'title' | 'file' | 'line'>

export interface PdfExpectation {
  /** The slides the PDF prints, one page each, in order. */
  slides: SlideRef[]
  /** Titles the outline must hold; undefined for a raw print that has no outline yet. */
  outlineTitles?: string[]
  /** The page each slide is on: by default its number (the cheat sheet prints one slide on page 1). */
  pageOf?: (slide: SlideRef) => number
  /** What the page count should be, for the message: by default "the deck has N slides". */
  pageCountLabel?: string
  /** Text a page must hold in full besides its slide's title, e.g. a handout page's notes. */
  pageTexts?: PageText[]
}

export interface PageText {
  slide: SlideRef
  /** What the text is, for the message: "the notes". */
  what: string
  text: string
}

export function parsePdfInfoPages(pdfinfo: string): number {
  const match = pdfinfo.match(/^Pages:\s+(\d+)/m)
  if (!match)
    throw new Error('pdfinfo printed no page count')
  return Number(match[1])
}

/** pdftotext ends every page with a form feed. */
export function splitPages(pdftotext: string): string[] {
  const pages = pdftotext.split('\f')
  if (pages.at(-1)?.trim() === '')
    pages.pop()
  return pages
}

/** Whether a binary PGM (P5) image is one flat grey level, i.e. a blank page. */
export function isUniformPgm(pgm: Uint8Array, tolerance = 6): boolean {
  const header = new TextDecoder('latin1').decode(pgm.subarray(0, 64))
  const match = header.match(/^P5\s+(?:#.*(?:[\n\r\u2028\u2029]\s*|[\t\v\f \xA0\u1680\u2000-\u200A\u202F\u205F\u3000\uFEFF]))*(\d+)\s+(\d+)\s+(\d+)\s/)
  if (!match)
    throw new Error('not a binary PGM image')
  const pixels = pgm.subarray(match[0].length)
  let min = 255
  let max = 0
  for (const value of pixels) {
    if (value < min)
      min = value
    if (value > max)
      max = value
  }
  return max - min <= tolerance
}

// pdftotext spaces out inline code and turns quotes typographic: compare letters and digits only
// (and a ligature as its letters).
const normalise = (text: string): string => ` ${comparableText(text.normalize('NFKC'))} `

/** The first words of `text` that `page` lacks, for a message that says where a text breaks off. */
function firstMissingWords(text: string, page: string): string {
  const words = comparableText(text.normalize('NFKC')).split(' ')
  let found = 0
  while (found < words.length && page.includes(` ${words.slice(0, found + 1).join(' ')} `))
    found++
  return words.slice(found, found + 6).join(' ')
}

/** Everything wrong with a PDF, given what the deck says it should hold. */
export function pdfProblems(facts: PdfFacts, expected: PdfExpectation): string[] {
  const problems: string[] = []
  const pageOf = expected.pageOf ?? (slide => slide.no)
  if (facts.pages !== expected.slides.length)
    problems.push(`the PDF has ${facts.pages} pages, ${expected.pageCountLabel ?? `the deck has ${expected.slides.length} slides`}`)
  for (const page of facts.uniformPages)
    problems.push(`page ${page} is blank (one flat colour)`)
  for (const slide of expected.slides) {
    const page = pageOf(slide)
    const text = facts.pageTexts[page - 1]
    if (slide.title && text !== undefined && !normalise(text).includes(normalise(slide.title)))
      problems.push(`page ${page} lacks the title of slide ${slide.no} "${slide.title}" (${slide.file}:${slide.line}) in its text layer`)
  }
  for (const { slide, what, text } of expected.pageTexts ?? []) {
    const page = pageOf(slide)
    const held = facts.pageTexts[page - 1]
    if (held === undefined || normalise(held).includes(normalise(text)))
      continue
    const missing = firstMissingWords(text, normalise(held))
    problems.push(`page ${page} lacks ${what} of slide ${slide.no} "${slide.title}" (${slide.file}:${slide.line}) in its text layer, from "${missing}"`)
  }
  if (expected.outlineTitles === undefined) {
    return problems
  }
  if (facts.outlineTitles.length === 0) {
    problems.push('the PDF has no outline')
  }
  else {
    const missing = expected.outlineTitles.filter(title => !facts.outlineTitles.includes(title))
    if (missing.length)
      problems.push(`the outline lacks: ${missing.join('; ')}`)
  }
  return problems
}

const POPPLER_TOOLS = ['pdfinfo', 'pdftotext', 'pdftoppm']

/** The poppler tools this module needs that are not on PATH. */
export async function missingPopplerTools(): Promise<string[]> {
  const found = await Promise.all(POPPLER_TOOLS.map(tool => execa(tool, ['-v'], { reject: false }).then(result => !result.failed || result.exitCode !== undefined, () => false)))
  return POPPLER_TOOLS.filter((_, index) => !found[index])
}

/** Reads a PDF with poppler's pdfinfo, pdftotext and pdftoppm (Debian: poppler-utils). */
export async function readPdfFacts(file: string): Promise<PdfFacts> {
  const pages = parsePdfInfoPages((await execa('pdfinfo', [file])).stdout)
  const pageTexts = splitPages((await execa('pdftotext', ['-layout', file, '-'], { stripFinalNewline: false })).stdout)
  const renders = await mkdtemp(join(tmpdir(), 'pdf-pages-'))
  try {
    await execa('pdftoppm', ['-r', '12', '-gray', file, join(renders, 'page')])
    const images = (await readdir(renders)).filter(name => name.endsWith('.pgm')).sort()
    const uniformPages: number[] = []
    for (const image of images) {
      if (isUniformPgm(await readFile(join(renders, image))))
        uniformPages.push(Number(image.match(/(\d+)\.pgm$/)![1]))
    }
    const outlineTitles = await readOutlineTitles(await readFile(file))
    return {
      pages,
      pageTexts,
      uniformPages,
      outlineTitles,
    }
  }
  finally {
    await rm(renders, { recursive: true, force: true })
  }
}
