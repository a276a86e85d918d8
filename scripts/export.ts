import { parseArgs } from 'node:util'
import { ChromiumNotFoundError, findLocalChromium } from './lib/chromium'
import { failWith } from './lib/cli'
import { readDeck } from './lib/deck-source'
import { ExportCheckError, exportDeck, pdfFileName } from './lib/export-deck'

const { values } = parseArgs({
  options: {
    entry: { type: 'string', default: 'slides.md' },
    output: { type: 'string' },
    dark: { type: 'boolean', default: false },
  },
})

try {
  const deck = await readDeck(values.entry)
  const chromium = await findLocalChromium()
  const output = values.output ?? pdfFileName(deck)
  const written = await exportDeck({
    deck,
    chromiumPath: chromium.path,
    output,
    dark: values.dark,
    log: line => console.log(line),
  })
  console.log(`wrote ${written}: ${deck.slides.length} pages, checked (page count, no blank page, titles in the text layer, outline)`)
}
catch (error) {
  if (error instanceof ChromiumNotFoundError || error instanceof ExportCheckError)
    failWith(error.message)
  throw error
}
