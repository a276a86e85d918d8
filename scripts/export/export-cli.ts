import type { Deck } from '../core/deck-source'
import { findLocalChromium } from '../core/chromium'
import { failWith } from '../core/cli'
import { discoverDeckAssets } from '../deck/deck-assets'
import { formatProblem, lintDeck } from '../deck/deck-lint'
import { readDeck } from '../core/deck-source'
import { missingPopplerTools } from './pdf-check'

/**
 * What every PDF export needs before it prints: the deck, read and linted, poppler to check the
 * result, and the project's Chromium. `what` names the PDF in the messages ("the handout").
 */
export async function prepareExport(entry: string, what: string): Promise<{ deck: Deck, chromiumPath: string }> {
  const deck = await readDeck(entry)
  const problems = lintDeck(deck, discoverDeckAssets(deck.root))
  if (problems.length)
    failWith(`The deck has problems to fix before ${what} can be exported:\n${problems.map(formatProblem).join('\n')}`)
  const missing = await missingPopplerTools()
  if (missing.length)
    failWith(`The export checks its PDF with poppler, and ${missing.join(', ')} is not on PATH. Install poppler-utils (Debian/Ubuntu: sudo apt-get install -y poppler-utils; macOS: brew install poppler).`)
  return { deck, chromiumPath: (await findLocalChromium()).path }
}
