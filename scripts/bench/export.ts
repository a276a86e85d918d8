import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { execa } from 'execa'
import { PDFDocument } from 'pdf-lib'
import { slidevExportArgs } from '../export/export-deck'

export class DeckExportError extends Error {}

/**
 * One `slidev export` to PDF with the same flags `npm run export` uses (its waits included),
 * timed from start to exit; the PDF's bytes and pages.
 */
export async function timedExport(entry: string, chromiumPath: string): Promise<{ seconds: number, bytes: number, pages: number }> {
  const scratch = await mkdtemp(join(tmpdir(), 'bench-export-'))
  const output = join(scratch, 'deck.pdf')
  try {
    const started = performance.now()
    const run = await execa('slidev', slidevExportArgs(basename(entry), output, chromiumPath, false), {
      cwd: dirname(entry),
      preferLocal: true,
      localDir: import.meta.dirname,
      all: true,
      reject: false,
      env: { FORCE_COLOR: '0' },
    })
    const seconds = (performance.now() - started) / 1000
    if (run.failed) {
      const tail = (run.all ?? '').trim().split('\n').slice(-12).join('\n')
      throw new DeckExportError(`${entry} does not export (slidev export: ${run.shortMessage}). Its last output:\n${tail}`)
    }
    const pdf = await readFile(output)
    const pages = (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount()
    return { seconds, bytes: pdf.length, pages }
  }
  finally {
    await rm(scratch, { recursive: true, force: true })
  }
}
