import { parseArgs } from 'node:util'
import { CheatSheetSourceError, exportCheatSheet } from './export/cheat-sheet'
import { CHEAT_SHEET_MIN_PT } from './export/paper'
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
  const { deck, chromiumPath } = await prepareExport(values.entry, 'the cheat sheet')
  const result = await exportCheatSheet({
    deck,
    chromiumPath,
    output: values.output ?? pdfFileName(deck, '-cheat-sheet'),
    log: line => console.log(line),
  })
  console.log(`wrote ${result.output}: one page, 279.4 × 210 mm (prints at 100% on A4 and Letter), checked (one page, not blank, title in the text layer, outline, smallest type ${result.smallestPt.toFixed(1)} pt, at least ${CHEAT_SHEET_MIN_PT} pt)`)
}
catch (error) {
  if (error instanceof ChromiumNotFoundError || error instanceof ExportCheckError || error instanceof ExportFailedError || error instanceof CheatSheetSourceError)
    failWith(error.message)
  throw error
}
