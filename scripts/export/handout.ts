import type { Deck, DeckSlide } from '../core/deck-source'
import type { HandoutPage } from './handout-html'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describeSlide } from '../core/deck-source'
import { exportChecked, ExportCheckError, printCheckedSlides } from './export-deck'
import { deckFontFaces, handoutHtml, overflowingNotes } from './handout-html'
import { handoutNotes, notesPlainText } from './handout-notes'
import { handoutLayout } from './paper'
import { pdfProblems, readPdfFacts } from './pdf-check'
import { addOutline, outlineFromDeck } from './pdf-outline'
import { pageAspect, placeSlides } from './place-slides'
import { HtmlLayoutError, printHtml } from './print-html'

// The handout: every slide on a page of its own, as the slides PDF prints it, with its speaker
// notes under it. Slidev prints the slides (the same print `npm run export` checks); Chromium
// typesets the notes pages; pdf-lib draws each printed slide into its frame.

export interface HandoutOptions {
  deck: Deck
  chromiumPath: string
  /** Where the checked PDF goes; nothing is written there unless every check passes. */
  output: string
  log?: (line: string) => void
}

/** A deck problem the handout cannot be made with (not a bad print: printing again won't help). */
export class HandoutSourceError extends Error {}

export interface HandoutPlan {
  pages: HandoutPage[]
  /** The notes each page must show, as plain text. */
  notesText: string[]
  /** Sentences left out as presenter-only run instructions, per slide. */
  dropped: Array<{ slide: DeckSlide, sentences: string[] }>
  /** Slides with nothing left to print under them. */
  withoutNotes: DeckSlide[]
}

/** The part of the talk a slide is in: the title of the last section opener up to it. */
export function sectionTitles(slides: Array<Pick<DeckSlide, 'no' | 'title' | 'frontmatter'>>): Map<number, string> {
  const openers = outlineFromDeck(slides).filter(entry => entry.depth === 0)
  return new Map(slides.map(slide => [
    slide.no,
    openers.filter(entry => entry.page <= slide.no).at(-1)?.title ?? '',
  ]))
}

/** What each handout page says: caption and notes. */
export function planHandout(slides: DeckSlide[]): HandoutPlan {
  const sections = sectionTitles(slides)
  const plan: HandoutPlan = {
    pages: [],
    notesText: [],
    dropped: [],
    withoutNotes: [],
  }
  for (const slide of slides) {
    const notes = handoutNotes(slide.notes)
    const section = sections.get(slide.no)
    plan.pages.push({
      caption: `Slide ${slide.no} of ${slides.length}${section ? ` · ${section}` : ''}`,
      paragraphs: notes.paragraphs,
    })
    plan.notesText.push(notesPlainText(notes.paragraphs))
    if (notes.dropped.length)
      plan.dropped.push({ slide, sentences: notes.dropped })
    if (!notes.paragraphs.length)
      plan.withoutNotes.push(slide)
  }
  return plan
}

/** Exports the handout to a scratch file, checks it, and only then moves it into place. */
export async function exportHandout(options: HandoutOptions): Promise<string> {
  const { deck, log = () => {} } = options
  const plan = planHandout(deck.slides)
  if (plan.withoutNotes.length) {
    throw new HandoutSourceError(`the handout would print these slides with no notes under them (none, or only run instructions):\n${plan.withoutNotes.map(slide => `  - ${describeSlide(slide)}`).join('\n')}`)
  }
  const dropped = plan.dropped.reduce((sum, entry) => sum + entry.sentences.length, 0)
  log(`notes: time marks removed; ${dropped} presenter-only run instruction(s) left out on ${plan.dropped.length} slide(s)`)
  log(`exporting ${deck.slides.length} slides with ${options.chromiumPath}`)
  const fontFaces = await deckFontFaces()
  const outline = outlineFromDeck(deck.slides)
  return exportChecked({
    output: options.output,
    log,
    produce: async (scratch) => {
      const slides = await printCheckedSlides(deck, options.chromiumPath, scratch)
      const layout = handoutLayout(await pageAspect(slides))
      const textPages = join(scratch, 'notes.pdf')
      const title = typeof deck.headmatter.title === 'string' ? deck.headmatter.title : 'Slides'
      try {
        await printHtml({
          html: handoutHtml({
            title: `${title}: handout`,
            layout,
            pages: plan.pages,
            fontFaces,
          }),
          chromiumPath: options.chromiumPath,
          output: textPages,
          paper: layout.page,
          check: async page => (await page.evaluate(overflowingNotes)).map(no =>
            `${describeSlide(deck.slides[no - 1]!)}: its notes do not fit under the slide on one page; shorten them`),
        })
      }
      catch (error) {
        if (error instanceof HtmlLayoutError)
          throw new HandoutSourceError(`the handout cannot be laid out:\n${error.problems.map(problem => `  - ${problem}`).join('\n')}`)
        throw error
      }
      const document = await placeSlides({
        slides,
        base: new Uint8Array(await readFile(textPages)),
        paper: layout.page,
        placements: deck.slides.map((_, index) => ({ slidePage: index, page: index, box: layout.slide })),
      })
      document.setTitle(`${title}: handout`)
      if (typeof deck.headmatter.author === 'string')
        document.setAuthor(deck.headmatter.author)
      document.setSubject('Slides with their speaker notes')
      const handout = join(scratch, 'handout.pdf')
      await writeFile(handout, await addOutline(await document.save(), outline))
      const problems = pdfProblems(await readPdfFacts(handout), {
        slides: deck.slides,
        outlineTitles: outline.map(entry => entry.title),
        pageTexts: deck.slides.flatMap((slide, index) => [
          { slide, what: 'the caption', text: plan.pages[index]!.caption },
          { slide, what: 'the notes', text: plan.notesText[index]! },
        ]),
      })
      if (problems.length)
        throw new ExportCheckError(problems)
      return handout
    },
  })
}
