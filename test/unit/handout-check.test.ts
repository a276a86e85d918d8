import type { Deck } from '../../scripts/core/deck-source'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { cheatSheetSlide, CheatSheetSourceError } from '../../scripts/export/cheat-sheet'
import { CHEAT_SHEET_MIN_PT, cheatSheetLayout, handoutLayout } from '../../scripts/export/paper'
import { pdfProblems, readPdfFacts } from '../../scripts/export/pdf-check'
import { addOutline, outlineFromDeck } from '../../scripts/export/pdf-outline'
import { readTextRuns, smallTextProblems } from '../../scripts/export/pdf-text-sizes'
import { placeSlides } from '../../scripts/export/place-slides'
import { slideOf } from './deck-fixture'

// The handout's and the cheat sheet's gates on PDFs made here, each broken in one way: a
// slide's notes missing or cut short, a caption on the wrong page, a blank slide in the print,
// a second page, type too small. Assembled with the exports' own placeSlides, read with poppler.

const slide = slideOf

const slides = [
  slide(1, 'What really happens at startup', {
    frontmatter: { layout: 'cover' },
  }),
  slide(2, 'One pod, one network namespace'),
  slide(3, 'The networking model', {
    frontmatter: { layout: 'section' },
  }),
]
const notes = [
  'Welcome everyone, this is the deep dive into a meshed pod\'s start.',
  'The network namespace belongs to the pod, not to any container in it. The proxy and the app see the same interfaces.',
  'Part 2, the other half of the background: who builds the pod\'s network.',
]
const captions = slides.map(s => `Slide ${s.no} of 3`)

/** Slides as Slidev prints them: one 735 x 414 pt page each, its title on it (null: a blank page). */
async function printedSlides(titles: Array<string | null>): Promise<Uint8Array> {
  const document = await PDFDocument.create()
  const font = await document.embedFont(StandardFonts.Helvetica)
  for (const title of titles) {
    const page = document.addPage([735.12, 414])
    // A blank print is one flat colour: Chromium paints the slide's background and nothing else.
    page.drawRectangle({
      x: 0,
      y: 0,
      width: 735.12,
      height: 414,
      color: rgb(1, 1, 1),
    })
    if (title !== null)
      page.drawText(title, { x: 40, y: 340, size: 27, font })
  }
  return document.save()
}

/** The handout's text pages: caption and notes under the slide's frame (null: left out). */
async function textPages(pages: Array<{ caption: string, notes: string | null }>): Promise<Uint8Array> {
  const layout = handoutLayout(735.12 / 414)
  const document = await PDFDocument.create()
  const font = await document.embedFont(StandardFonts.Helvetica)
  const mm = (value: number): number => value * 72 / 25.4
  for (const { caption, notes } of pages) {
    const page = document.addPage([mm(layout.page.widthMm), mm(layout.page.heightMm)])
    page.drawText(caption, {
      x: mm(layout.caption.x),
      y: page.getHeight() - mm(layout.caption.y + 5),
      size: 9,
      font,
    })
    if (notes !== null) {
      page.drawText(notes, {
        x: mm(layout.notes.x),
        y: page.getHeight() - mm(layout.notes.y + 5),
        size: 11,
        font,
        maxWidth: mm(layout.notes.width),
        lineHeight: 16,
      })
    }
  }
  return document.save()
}

async function handout(options: { titles?: Array<string | null>, pages?: Array<{ caption: string, notes: string | null }> } = {}): Promise<string> {
  const layout = handoutLayout(735.12 / 414)
  const titles = options.titles ?? slides.map(s => s.title)
  const document = await placeSlides({
    slides: await printedSlides(titles),
    base: await textPages(options.pages ?? slides.map((_, i) => ({ caption: captions[i]!, notes: notes[i]! }))),
    paper: layout.page,
    placements: titles.map((_, index) => ({ slidePage: index, page: index, box: layout.slide })),
  })
  const file = join(await mkdtemp(join(tmpdir(), 'handout-fixture-')), 'handout.pdf')
  await writeFile(file, await addOutline(await document.save(), outlineFromDeck(slides)))
  return file
}

const expectation = {
  slides,
  outlineTitles: slides.map(s => s.title),
  pageTexts: slides.flatMap((s, i) => [
    { slide: s, what: 'the caption', text: captions[i]! },
    { slide: s, what: 'the notes', text: notes[i]! },
  ]),
}

describe('the handout gate', () => {
  it('passes a page per slide with its slide, caption and notes, the slide drawn as text', async () => {
    const file = await handout()
    expect(pdfProblems(await readPdfFacts(file), expectation)).toEqual([])
  })

  it('fails a handout missing a slide\'s notes', async () => {
    const file = await handout({
      pages: slides.map((_, i) => ({
        caption: captions[i]!,
        notes: i === 1 ? null : notes[i]!,
      })),
    })
    expect(pdfProblems(await readPdfFacts(file), expectation)).toEqual([
      'page 2 lacks the notes of slide 2 "One pod, one network namespace" (deck.md:20) in its text layer, from "the network namespace belongs to the"',
    ])
  })

  it('says where notes cut short break off', async () => {
    const file = await handout({
      pages: slides.map((_, i) => ({
        caption: captions[i]!,
        notes: i === 1 ? 'The network namespace belongs to the pod, not to any container in it.' : notes[i]!,
      })),
    })
    expect(pdfProblems(await readPdfFacts(file), expectation)).toEqual([
      'page 2 lacks the notes of slide 2 "One pod, one network namespace" (deck.md:20) in its text layer, from "the proxy and the app see"',
    ])
  })

  it('fails notes and a caption on the wrong page', async () => {
    const swapped = [0, 2, 1].map(i => ({ caption: captions[i]!, notes: notes[i]! }))
    const problems = pdfProblems(await readPdfFacts(await handout({ pages: swapped })), expectation)
    expect(problems).toEqual([
      'page 2 lacks the caption of slide 2 "One pod, one network namespace" (deck.md:20) in its text layer, from "2 of 3"',
      'page 2 lacks the notes of slide 2 "One pod, one network namespace" (deck.md:20) in its text layer, from "network namespace belongs to the pod"',
      'page 3 lacks the caption of slide 3 "The networking model" (deck.md:30) in its text layer, from "3 of 3"',
      'page 3 lacks the notes of slide 3 "The networking model" (deck.md:30) in its text layer, from "part 2 the other half of"',
    ])
  })

  it('catches a blank slide in the print, which its notes would hide on the handout page', async () => {
    const raw = join(await mkdtemp(join(tmpdir(), 'handout-fixture-')), 'slides.pdf')
    await writeFile(raw, await printedSlides([slides[0]!.title, null, slides[2]!.title]))
    // The raw print has no outline yet: only the slides' own checks apply.
    expect(pdfProblems(await readPdfFacts(raw), { slides })).toEqual([
      'page 2 is blank (one flat colour)',
      'page 2 lacks the title of slide 2 "One pod, one network namespace" (deck.md:20) in its text layer',
    ])
    expect(pdfProblems(await readPdfFacts(await handout({
      titles: [slides[0]!.title, null, slides[2]!.title],
    })), expectation)).toEqual([
      'page 2 lacks the title of slide 2 "One pod, one network namespace" (deck.md:20) in its text layer',
    ])
  })
})

describe('the cheat sheet gate', () => {
  const sheetSlide = slide(64, 'Cheat sheet: a meshed pod\'s start')
  const onPageOne = {
    slides: [sheetSlide],
    pageOf: () => 1,
    pageCountLabel: 'the cheat sheet is one page',
    outlineTitles: [sheetSlide.title],
  }

  async function sheet(pages: number, size: number): Promise<{ file: string, bytes: Uint8Array }> {
    const layout = cheatSheetLayout(735.12 / 414)
    const print = await PDFDocument.create()
    const font = await print.embedFont(StandardFonts.Helvetica)
    const page = print.addPage([735.12, 414])
    page.drawText(sheetSlide.title, { x: 20, y: 380, size: 16.5, font })
    page.drawText('4143 inbound, 4140 outbound', { x: 20, y: 340, size, font })
    const document = await placeSlides({
      slides: await print.save(),
      paper: layout.page,
      placements: Array.from({ length: pages }, (_, index) => ({ slidePage: 0, page: index, box: layout.slide })),
      frame: true,
    })
    const bytes = await addOutline(await document.save(), [{ page: 1, depth: 0, title: sheetSlide.title }])
    const file = join(await mkdtemp(join(tmpdir(), 'sheet-fixture-')), 'sheet.pdf')
    await writeFile(file, bytes)
    return { file, bytes }
  }

  it('passes one page, its slide\'s title on page 1, type at the size the slide gives it', async () => {
    // 9.75 pt on the slide's print (13px) prints at 9.9 pt on the sheet.
    const { file, bytes } = await sheet(1, 9.75)
    expect(pdfProblems(await readPdfFacts(file), onPageOne)).toEqual([])
    const runs = await readTextRuns(bytes)
    expect(Math.min(...runs.map(run => run.pt))).toBeCloseTo(9.9, 1)
    expect(smallTextProblems(runs, CHEAT_SHEET_MIN_PT)).toEqual([])
  })

  it('fails a second page', async () => {
    const { file } = await sheet(2, 9.75)
    expect(pdfProblems(await readPdfFacts(file), onPageOne)).toEqual(['the PDF has 2 pages, the cheat sheet is one page'])
  })

  it('fails type that prints under the minimum', async () => {
    // 9 pt on the print (12px, the deck's legibility floor) is 9.1 pt on the sheet.
    const { bytes } = await sheet(1, 9)
    expect(smallTextProblems(await readTextRuns(bytes), CHEAT_SHEET_MIN_PT)).toEqual([
      'page 1 has text at 9.1 pt, under the 9.5 pt minimum: "4143 inbound, 4140 outbound"',
    ])
  })

  it('is exported from the one slide that shows <CheatSheet />', () => {
    const deckOf = (...content: string[]): Deck => ({
      root: '.',
      entry: 'deck.md',
      headmatter: {},
      slides: content.map((text, i) => slide(i + 1, `S${i + 1}`, { content: text })),
    })
    expect(cheatSheetSlide(deckOf('# A', '# Sheet\n\n<CheatSheet />')).no).toBe(2)
    expect(() => cheatSheetSlide(deckOf('# A', '```vue\n<CheatSheet />\n```'))).toThrow(CheatSheetSourceError)
    expect(() => cheatSheetSlide(deckOf('<CheatSheet />', '<CheatSheet />'))).toThrow(/2 slides show <CheatSheet \/>: deck.md:10, deck.md:20/)
  })
})
