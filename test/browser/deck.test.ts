import type { GateRun } from '../../scripts/lib/browser-gates'
import type { Deck } from '../../scripts/lib/deck-source'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { formatFailure, runBrowserGates } from '../../scripts/lib/browser-gates'
import { buildDeck } from '../../scripts/lib/build-deck'
import { findLocalChromium } from '../../scripts/lib/chromium'
import { readDeck } from '../../scripts/lib/deck-source'

const entry = fileURLToPath(new URL('../../slides.md', import.meta.url))

describe('the talk in a real browser (built deck on 127.0.0.1, light and dark)', () => {
  let deck: Deck
  let run: GateRun

  beforeAll(async () => {
    deck = await readDeck(entry)
    const [distDir, chromium] = await Promise.all([
      buildDeck(entry),
      findLocalChromium(),
    ])
    run = await runBrowserGates({
      target: { distDir },
      deck,
      chromiumPath: chromium.path,
    })
  })

  it('visits every slide and every click step', () => {
    for (const scheme of ['light', 'dark'] as const) {
      const visited = run.visited.filter(state => state.scheme === scheme)
      expect(new Set(visited.map(state => state.no))).toEqual(new Set(deck.slides.map(slide => slide.no)))
    }
    // The outcomes slide reveals its four bullets one click at a time.
    const outcomes = deck.slides.find(slide => slide.title === 'What you\'ll get out of this')!
    expect(run.visited.filter(state => state.no === outcomes.no && state.scheme === 'light').map(state => state.clicks)).toEqual([0, 1, 2, 3, 4])
  })

  for (const gate of [
    'console',
    'request',
    'overflow',
    'mermaid',
    'image',
    'notes',
  ] as const) {
    it(`passes the ${gate} gate on every slide`, () => {
      expect(run.failures.filter(failure => failure.gate === gate).map(formatFailure)).toEqual([])
    })
  }
})
