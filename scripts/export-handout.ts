import { parseArgs } from 'node:util'
import { runCli } from './core/cli'
import { EXPORT_ERRORS, prepareExport } from './export/export-cli'
import { pdfFileName } from './export/export-deck'
import { exportHandout, HandoutSourceError } from './export/handout'

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      entry: { type: 'string', default: 'slides.md' },
      output: { type: 'string' },
    },
  })
  const { deck, chromiumPath } = await prepareExport(values.entry, 'the handout')
  const output = values.output ?? pdfFileName(deck, '-handout')
  const written = await exportHandout({
    deck,
    chromiumPath,
    output,
    log: line => console.log(line),
  })
  console.log(`wrote ${written}: ${deck.slides.length} pages, one slide and its notes each, checked (page count, no blank page, titles, captions and notes in the text layer, outline)`)
  return 0
}

await runCli(main, [...EXPORT_ERRORS, [HandoutSourceError, 1]])
