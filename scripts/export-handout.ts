import { parseArgs } from 'node:util'
import { exportHandout, HandoutSourceError } from './export/handout'
import { ChromiumNotFoundError } from './core/chromium'
import { failWith } from './core/cli'
import { prepareExport } from './export/export-cli'
import { ExportCheckError, ExportFailedError, pdfFileName } from './export/export-deck'

const { values } = parseArgs({
  options: {
    entry: { type: 'string', default: 'slides.md' },
    output: { type: 'string' },
  },
})

try {
  const { deck, chromiumPath } = await prepareExport(values.entry, 'the handout')
  const output = values.output ?? pdfFileName(deck, '-handout')
  const written = await exportHandout({
    deck,
    chromiumPath,
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
