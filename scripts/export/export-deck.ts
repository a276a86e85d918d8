import type { Deck } from '../core/deck-source'
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { execa } from 'execa'
import { exportFileName } from '../../model/attendee-links'
import { pdfProblems, readPdfFacts } from './pdf-check'
import { addOutline, outlineFromDeck } from './pdf-outline'

export interface ExportOptions {
  deck: Deck
  chromiumPath: string
  /** Where the checked PDF goes; nothing is written there unless every check passes. */
  output: string
  dark?: boolean
  log?: (line: string) => void
}

export class ExportFailedError extends Error {}

export class ExportCheckError extends Error {
  constructor(readonly problems: string[]) {
    super(`the exported PDF failed its checks:\n${problems.map(problem => `  - ${problem}`).join('\n')}`)
  }
}

/**
 * Slidev's export command, with every wait spelled out: blank pages have shipped with exit
 * status 0. The deck prints as one document; setup/print.css keeps Chromium from dropping its
 * last slides (it did, silently), and the PDF checks below catch any page that goes missing.
 */
export function slidevExportArgs(entry: string, output: string, chromiumPath: string, dark: boolean): string[] {
  return [
    'export',
    entry,
    '--output',
    output,
    '--format',
    'pdf',
    '--executable-path',
    chromiumPath,
    '--timeout',
    '60000',
    '--wait-until',
    'networkidle',
    '--wait',
    '1500',
    ...(dark ? ['--dark'] : []),
  ]
}

export function pdfFileName(deck: Deck, suffix = ''): string {
  return exportFileName(deck.headmatter.exportFilename, suffix)
}

export interface PrintSlidesOptions {
  deck: Deck
  chromiumPath: string
  /** The raw print: one page per slide, no outline, not checked. */
  output: string
  dark?: boolean
}

/**
 * Slidev prints the whole deck with the given Chromium, one page per slide. (Not a --range of it:
 * Slidev 53's one-document print ignores --range, and its --per-slide print letterboxes each slide
 * with a black hairline.)
 */
export async function printSlides(options: PrintSlidesOptions): Promise<void> {
  const { deck } = options
  const slidev = await execa('slidev', slidevExportArgs(deck.entry, options.output, options.chromiumPath, options.dark ?? false), {
    cwd: deck.root,
    preferLocal: true,
    all: true,
    reject: false,
    env: { FORCE_COLOR: '0' },
  })
  if (slidev.failed) {
    const tail = (slidev.all ?? '').trim().split('\n').slice(-15).join('\n')
    throw new ExportFailedError(`slidev export failed (${slidev.shortMessage}). Its last output:\n${tail}`)
  }
}

/**
 * The whole deck printed into `scratch` and checked as `npm run export` checks it (a blank
 * slide would otherwise hide in a handout or a cheat sheet): the pages every other PDF places.
 */
export async function printCheckedSlides(deck: Deck, chromiumPath: string, scratch: string): Promise<Uint8Array> {
  const raw = join(scratch, 'slides.pdf')
  await printSlides({ deck, chromiumPath, output: raw })
  const printed = pdfProblems(await readPdfFacts(raw), { slides: deck.slides })
  if (printed.length)
    throw new ExportCheckError(printed.map(problem => `the slides' print: ${problem}`))
  return new Uint8Array(await readFile(raw))
}

export interface CheckedExportOptions {
  /** Where the checked PDF goes; nothing is written there unless every check passes. */
  output: string
  log?: (line: string) => void
  /**
   * Makes the PDF in `scratch` (a fresh directory per attempt) and returns its path; throws
   * ExportCheckError when the PDF fails its checks.
   */
  produce: (scratch: string) => Promise<string>
}

/**
 * The export pipeline every PDF of the deck goes through: a stale file at `output` is removed,
 * the PDF is made and checked in a scratch directory, and only a PDF that passes is moved into
 * place. Under load, Chromium has printed the last page before its slide rendered (1 export in 5
 * on a busy two-core machine): the checks catch it, one fresh attempt is allowed, and the export
 * fails if that one fails its checks too.
 */
export async function exportChecked(options: CheckedExportOptions): Promise<string> {
  const { log = () => {} } = options
  const output = resolve(options.output)
  await rm(output, { force: true })
  for (let attempt = 1; ; attempt++) {
    const scratch = await mkdtemp(join(tmpdir(), 'deck-export-'))
    try {
      const made = await options.produce(scratch)
      await rename(made, output).catch(async () => {
        await writeFile(output, await readFile(made))
      })
      return output
    }
    catch (error) {
      if (!(error instanceof ExportCheckError) || attempt === 2)
        throw error
      log(`the printed PDF failed its checks (${error.message.split('\n').slice(0, 2).join(' ')}); printing once more`)
    }
    finally {
      await rm(scratch, { recursive: true, force: true })
    }
  }
}

/** Exports the deck to a scratch file, outlines and checks it, and only then moves it into place. */
export async function exportDeck(options: ExportOptions): Promise<string> {
  const { deck, log = () => {} } = options
  log(`exporting ${deck.slides.length} slides with ${options.chromiumPath}`)
  return exportChecked({
    output: options.output,
    log,
    produce: async (scratch) => {
      const raw = join(scratch, 'raw.pdf')
      await printSlides({
        deck,
        chromiumPath: options.chromiumPath,
        output: raw,
        dark: options.dark,
      })
      const outline = outlineFromDeck(deck.slides)
      const outlined = join(scratch, 'outlined.pdf')
      await writeFile(outlined, await addOutline(await readFile(raw), outline))
      const problems = pdfProblems(await readPdfFacts(outlined), {
        slides: deck.slides,
        outlineTitles: outline.map(entry => entry.title),
      })
      if (problems.length)
        throw new ExportCheckError(problems)
      return outlined
    },
  })
}
