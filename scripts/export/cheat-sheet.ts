import type { Deck, DeckSlide } from '../core/deck-source'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { withoutCodeFences } from '../core/markdown'
import { exportChecked, ExportCheckError, printCheckedSlides } from './export-deck'
import { CHEAT_SHEET_MIN_PT, cheatSheetLayout } from './paper'
import { pdfProblems, readPdfFacts } from './pdf-check'
import { addOutline } from './pdf-outline'
import { readTextRuns, smallestPerPage, smallTextProblems } from './pdf-text-sizes'
import { pageAspect, placeSlides } from './place-slides'

// The cheat sheet on a page of its own: the appendix slide that shows <CheatSheet />, printed by
// Slidev alone, then drawn across a landscape page that prints at 100% on A4 and on Letter. The
// page's smallest type is measured in the PDF itself.

export class CheatSheetSourceError extends Error {}

/** The one slide that shows the cheat sheet. */
export function cheatSheetSlide(deck: Deck): DeckSlide {
  const found = deck.slides.filter(slide => /<CheatSheet\b/.test(withoutCodeFences(slide.content)))
  if (found.length !== 1) {
    throw new CheatSheetSourceError(found.length
      ? `${found.length} slides show <CheatSheet />: ${found.map(slide => `${slide.file}:${slide.line}`).join(', ')}; the cheat sheet is one page`
      : `no slide of ${deck.entry} shows <CheatSheet />: the cheat sheet is exported from that slide`)
  }
  return found[0]!
}

export interface CheatSheetOptions {
  deck: Deck
  chromiumPath: string
  output: string
  log?: (line: string) => void
}

export interface CheatSheetResult {
  output: string
  slide: DeckSlide
  /** The smallest type on the page, in points. */
  smallestPt: number
}

export async function exportCheatSheet(options: CheatSheetOptions): Promise<CheatSheetResult> {
  const { deck, log = () => {} } = options
  const slide = cheatSheetSlide(deck)
  log(`exporting slide ${slide.no} "${slide.title}" (${slide.file}:${slide.line}) with ${options.chromiumPath}`)
  const onPageOne = {
    slides: [slide],
    pageOf: () => 1,
    pageCountLabel: 'the cheat sheet is one page',
  }
  let smallestPt = 0
  const output = await exportChecked({
    output: options.output,
    log,
    produce: async (scratch) => {
      // The whole deck, as `npm run export` prints and checks it; the cheat sheet is one page of it.
      const slidePdf = await printCheckedSlides(deck, options.chromiumPath, scratch)
      const layout = cheatSheetLayout(await pageAspect(slidePdf))
      const document = await placeSlides({
        slides: slidePdf,
        paper: layout.page,
        placements: [{ slidePage: slide.no - 1, page: 0, box: layout.slide }],
        frame: true,
      })
      const title = typeof deck.headmatter.title === 'string'
        ? `${deck.headmatter.title}: cheat sheet`
        : slide.title
      document.setTitle(title)
      if (typeof deck.headmatter.author === 'string')
        document.setAuthor(deck.headmatter.author)
      const sheet = join(scratch, 'cheat-sheet.pdf')
      const bytes = await addOutline(await document.save(), [{ page: 1, depth: 0, title: slide.title }])
      await writeFile(sheet, bytes)
      const runs = await readTextRuns(bytes)
      smallestPt = smallestPerPage(runs).get(1) ?? 0
      const problems = [
        ...pdfProblems(await readPdfFacts(sheet), {
          ...onPageOne,
          outlineTitles: [slide.title],
        }),
        ...smallTextProblems(runs, CHEAT_SHEET_MIN_PT),
      ]
      if (problems.length)
        throw new ExportCheckError(problems)
      return sheet
    },
  })
  return { output, slide, smallestPt }
}
