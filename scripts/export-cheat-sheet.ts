import { parseArgs } from 'node:util'
import { runCli } from './core/cli'
import { CheatSheetSourceError, exportCheatSheet } from './export/cheat-sheet'
import { EXPORT_ERRORS, prepareExport } from './export/export-cli'
import { pdfFileName } from './export/export-deck'
import { CHEAT_SHEET_MIN_PT } from './export/paper'

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      entry: { type: 'string', default: 'slides.md' },
      output: { type: 'string' },
    },
  })
  const { deck, chromiumPath } = await prepareExport(values.entry, 'the cheat sheet')
  const result = await exportCheatSheet({
    deck,
    chromiumPath,
    output: values.output ?? pdfFileName(deck, '-cheat-sheet'),
    log: line => console.log(line),
  })
  console.log(`wrote ${result.output}: one page, 279.4 × 210 mm (prints at 100% on A4 and Letter), checked (one page, not blank, title in the text layer, outline, smallest type ${result.smallestPt.toFixed(1)} pt, at least ${CHEAT_SHEET_MIN_PT} pt)`)
  return 0
}

await runCli(main, [...EXPORT_ERRORS, [CheatSheetSourceError, 1]])
