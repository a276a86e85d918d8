import { parseArgs } from 'node:util'
import { exportHandout, handoutFileName, HandoutSourceError } from './export/handout'
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
    failWith(`The deck has problems to fix before the handout can be exported:\n${problems.map(formatProblem).join('\n')}`)
  const missing = await missingPopplerTools()
  if (missing.length)
    failWith(`The export checks its PDF with poppler, and ${missing.join(', ')} is not on PATH. Install poppler-utils (Debian/Ubuntu: sudo apt-get install -y poppler-utils; macOS: brew install poppler).`)
  const chromium = await findLocalChromium()
  const output = values.output ?? handoutFileName(pdfFileName(deck))
  const written = await exportHandout({
    deck,
    chromiumPath: chromium.path,
    output,
    log: line => console.log(line),
  })
  console.log(`wrote ${written}: ${deck.slides.length} pages, one slide and its notes each, checked (page count, no blank page, titles, captions and notes in the text layer, outline)`)
}
catch (error) {
  if (error instanceof ChromiumNotFoundError || error instanceof ExportCheckError || error instanceof ExportFailedError || error instanceof HandoutSourceError)
    failWith(error.message)
  throw error
}
