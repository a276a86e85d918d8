import { parseArgs } from 'node:util'
import { cheatSheetFileName, CheatSheetSourceError, exportCheatSheet } from './export/cheat-sheet'
import { CHEAT_SHEET_MIN_PT } from './export/paper'
import { ChromiumNotFoundError, findLocalChromium } from './lib/chromium'
import { failWith } from './lib/cli'
import { discoverDeckAssets } from './lib/deck-assets'
import { formatProblem, lintDeck } from './lib/deck-lint'
import { readDeck } from './lib/deck-source'
import { ExportCheckError, ExportFailedError, pdfFileName } from './lib/export-deck'
import { missingPopplerTools } from './lib/pdf-check'

const { values } = parseArgs({
  options: {
    entry: { type: 'string', default: 'slides.md' },
    output: { type: 'string' },
  },
})

try {
  const deck = await readDeck(values.entry)
  const problems = lintDeck(deck, discoverDeckAssets(deck.root))
  if (problems.length)
    failWith(`The deck has problems to fix before the cheat sheet can be exported:\n${problems.map(formatProblem).join('\n')}`)
  const missing = await missingPopplerTools()
  if (missing.length)
    failWith(`The export checks its PDF with poppler, and ${missing.join(', ')} is not on PATH. Install poppler-utils (Debian/Ubuntu: sudo apt-get install -y poppler-utils; macOS: brew install poppler).`)
  const chromium = await findLocalChromium()
  const result = await exportCheatSheet({
    deck,
    chromiumPath: chromium.path,
    output: values.output ?? cheatSheetFileName(pdfFileName(deck)),
    log: line => console.log(line),
  })
  console.log(`wrote ${result.output}: one page, 279.4 × 210 mm (prints at 100% on A4 and Letter), checked (one page, not blank, title in the text layer, outline, smallest type ${result.smallestPt.toFixed(1)} pt, at least ${CHEAT_SHEET_MIN_PT} pt)`)
}
catch (error) {
  if (error instanceof ChromiumNotFoundError || error instanceof ExportCheckError || error instanceof ExportFailedError || error instanceof CheatSheetSourceError)
    failWith(error.message)
  throw error
}
