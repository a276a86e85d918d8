import { parseArgs } from 'node:util'
import { ChromiumNotFoundError } from './core/chromium'
import { failWith } from './core/cli'
import { prepareExport } from './export/export-cli'
import { ExportCheckError, exportDeck, ExportFailedError, pdfFileName } from './export/export-deck'

const { values } = parseArgs({
  options: {
    entry: { type: 'string', default: 'slides.md' },
    output: { type: 'string' },
    dark: { type: 'boolean', default: false },
  },
})

try {
  const { deck, chromiumPath } = await prepareExport(values.entry, 'it')
  const output = values.output ?? pdfFileName(deck)
  const written = await exportDeck({
    deck,
    chromiumPath,
    output,
    dark: values.dark,
    log: line => console.log(line),
  })
  console.log(`wrote ${written}: ${deck.slides.length} pages, checked (page count, no blank page, titles in the text layer, outline)`)
}
catch (error) {
  if (error instanceof ChromiumNotFoundError || error instanceof ExportCheckError || error instanceof ExportFailedError)
    failWith(error.message)
  throw error
}
