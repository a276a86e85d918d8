import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { isUniformPgm, parsePdfInfoPages, pdfProblems, readPdfFacts, splitPages } from '../../scripts/export/pdf-check'
import { addOutline, outlineFromDeck, readOutlineTitles } from '../../scripts/export/pdf-outline'

const slides = [
  {
    no: 1,
    title: 'What really happens at startup',
    file: 'slides.md',
    line: 27,
    frontmatter: { layout: 'cover' },
  },
  {
    no: 2,
    title: 'One pod, one network namespace',
    file: 'slides.md',
    line: 80,
    frontmatter: {},
  },
  {
    no: 3,
    title: 'The networking model',
    file: 'slides.md',
    line: 120,
    frontmatter: { layout: 'section' },
  },
]

async function makePdf(pages: Array<string | null>, withOutline: boolean): Promise<string> {
  const document = await PDFDocument.create()
  const font = await document.embedFont(StandardFonts.Helvetica)
  for (const title of pages) {
    const page = document.addPage([960, 540])
    if (title !== null)
      page.drawText(title, { x: 60, y: 440, size: 36, font })
  }
  let bytes = await document.save()
  if (withOutline)
    bytes = await addOutline(bytes, outlineFromDeck(slides.slice(0, pages.length)))
  const file = join(await mkdtemp(join(tmpdir(), 'pdf-fixture-')), 'deck.pdf')
  await writeFile(file, bytes)
  return file
}

const expectation = {
  slides,
  outlineTitles: slides.map(slide => slide.title),
}

describe('pdf parsing helpers', () => {
  it('reads the page count pdfinfo prints', () => {
    expect(parsePdfInfoPages('Title: x\nPages:           16\nEncrypted: no')).toBe(16)
    expect(() => parsePdfInfoPages('nothing')).toThrow(/no page count/)
  })

  it('splits pdftotext output at form feeds', () => {
    expect(splitPages('one\fTWO\f')).toEqual(['one', 'TWO'])
  })

  it('tells a flat image from one with content', () => {
    const header = new TextEncoder().encode('P5\n2 2\n255\n')
    expect(isUniformPgm(new Uint8Array([...header, 255, 255, 254, 255]))).toBe(true)
    expect(isUniformPgm(new Uint8Array([...header, 255, 255, 0, 255]))).toBe(false)
  })
})

describe('outline', () => {
  it('puts slides under the section that opens them', () => {
    expect(outlineFromDeck(slides)).toEqual([
      { page: 1, depth: 0, title: 'What really happens at startup' },
      { page: 2, depth: 1, title: 'One pod, one network namespace' },
      { page: 3, depth: 0, title: 'The networking model' },
    ])
  })
})

describe('the PDF gate on real PDFs (poppler)', () => {
  it('passes a PDF with one titled page per slide and an outline', async () => {
    const file = await makePdf(slides.map(slide => slide.title), true)
    const facts = await readPdfFacts(file)
    expect(facts.outlineTitles).toEqual(slides.map(slide => slide.title))
    expect(pdfProblems(facts, expectation)).toEqual([])
  })

  it('catches a blank page', async () => {
    const facts = await readPdfFacts(await makePdf([slides[0]!.title, null, slides[2]!.title], true))
    expect(pdfProblems(facts, expectation)).toContain('page 2 is blank (one flat colour)')
  })

  it('catches a missing page and a missing outline', async () => {
    const facts = await readPdfFacts(await makePdf([slides[0]!.title, slides[1]!.title], false))
    expect(pdfProblems(facts, expectation)).toEqual([
      'the PDF has 2 pages, the deck has 3 slides',
      'the PDF has no outline',
    ])
  })

  it('catches a page whose title is not in the text layer (rasterised or wrong slide)', async () => {
    const facts = await readPdfFacts(await makePdf([slides[0]!.title, 'Something else', slides[2]!.title], true))
    expect(pdfProblems(facts, expectation)).toEqual([
      'page 2 lacks the title of slide 2 "One pod, one network namespace" (slides.md:80) in its text layer',
    ])
  })

  it('reads no outline from a PDF without one', async () => {
    const document = await PDFDocument.create()
    document.addPage()
    expect(await readOutlineTitles(await document.save())).toEqual([])
  })
})
