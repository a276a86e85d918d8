import type { ExpectedErrors } from '../core/cli'
import type { Deck } from '../core/deck-source'
import { ChromiumNotFoundError, findLocalChromium } from '../core/chromium'
import { CliError } from '../core/cli'
import { readDeck } from '../core/deck-source'
import { formatProblem } from '../core/problem'
import { discoverDeckAssets } from '../deck/deck-assets'
import { lintDeck } from '../deck/deck-lint'
import { ExportCheckError, ExportFailedError } from './export-deck'
import { missingPopplerTools } from './pdf-check'

/** What ends every PDF export with its message and status 1: no browser, a failed print, a failed check. */
export const EXPORT_ERRORS: ExpectedErrors = [
  [ChromiumNotFoundError, 1],
  [ExportCheckError, 1],
  [ExportFailedError, 1],
]

/**
 * What every PDF export needs before it prints: the deck, read and linted, poppler to check the
 * result, and the project's Chromium. `what` names the PDF in the messages ("the handout").
 */
export async function prepareExport(entry: string, what: string): Promise<{ deck: Deck, chromiumPath: string }> {
  const deck = await readDeck(entry)
  const problems = lintDeck(deck, discoverDeckAssets(deck.root))
  if (problems.length)
    throw new CliError(`The deck has problems to fix before ${what} can be exported:\n${problems.map(formatProblem).join('\n')}`, 1)
  const missing = await missingPopplerTools()
  if (missing.length)
    throw new CliError(`The export checks its PDF with poppler, and ${missing.join(', ')} is not on PATH. Install poppler-utils (Debian/Ubuntu: sudo apt-get install -y poppler-utils; macOS: brew install poppler).`, 1)
  return { deck, chromiumPath: (await findLocalChromium()).path }
}
