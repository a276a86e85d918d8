import { parseArgs } from 'node:util'
import { runCli } from './core/cli'
import { EXPORT_ERRORS, prepareExport } from './export/export-cli'
import { exportDeck, pdfFileName } from './export/export-deck'

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      entry: { type: 'string', default: 'slides.md' },
      output: { type: 'string' },
      dark: { type: 'boolean', default: false },
    },
  })
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
  return 0
}

await runCli(main, EXPORT_ERRORS)
