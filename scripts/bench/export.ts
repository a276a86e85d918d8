import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { PDFDocument } from 'pdf-lib'
import { slidevExportArgs } from '../export/export-deck'
import { timedSlidev } from './timed-slidev'

export class DeckExportError extends Error {}

/**
 * One `slidev export` to PDF with the same flags `npm run export` uses (its waits included),
 * timed from start to exit; the PDF's bytes and pages.
 */
export async function timedExport(entry: string, chromiumPath: string): Promise<{ seconds: number, bytes: number, pages: number }> {
  const scratch = await mkdtemp(join(tmpdir(), 'bench-export-'))
  const output = join(scratch, 'deck.pdf')
  try {
    const seconds = await timedSlidev(entry, slidevExportArgs(basename(entry), output, chromiumPath, false), message => new DeckExportError(message))
    const pdf = await readFile(output)
    const pages = (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount()
    return { seconds, bytes: pdf.length, pages }
  }
  finally {
    await rm(scratch, { recursive: true, force: true })
  }
}
