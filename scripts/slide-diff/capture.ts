import type { Deck } from '../core/deck-source'
import type { SlideFingerprint } from './fingerprint'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium } from 'playwright-chromium'
import { HEADLESS_CHROMIUM_ARGS } from '../core/chromium'
import { settle, stateOf, stepThrough } from '../core/deck-walk'
import { serveStatic } from '../core/serve'
import { fingerprint } from './fingerprint'

export interface CapturedState {
  clicks: number
  /** The PNG of the slide canvas at this click step. */
  file: string
}

export interface CapturedSlide {
  fingerprint: SlideFingerprint
  states: CapturedState[]
}

export interface CapturedDeck {
  slides: CapturedSlide[]
}

export interface CaptureOptions {
  distDir: string
  deck: Deck
  chromiumPath: string
  /** Where the screenshots go. */
  outDir: string
}

/**
 * Screenshots the slide canvas of a built deck at every slide and click step, in light mode, at
 * the canvas's own size (980×552 unless the deck sets another), stepping with the arrow key as a
 * presenter does.
 */
export async function captureDeck(options: CaptureOptions): Promise<CapturedDeck> {
  const { deck } = options
  await mkdir(options.outDir, { recursive: true })
  const width = Number(deck.headmatter.canvasWidth ?? 980)
  const height = Math.round(width / 16 * 9)
  const server = await serveStatic(options.distDir)
  const browser = await chromium.launch({ executablePath: options.chromiumPath, args: HEADLESS_CHROMIUM_ARGS })
  const slides: CapturedSlide[] = deck.slides.map(slide => ({
    fingerprint: fingerprint(slide),
    states: [],
  }))
  try {
    const context = await browser.newContext({
      viewport: { width, height },
      colorScheme: 'light',
      deviceScaleFactor: 1,
    })
    // tsx compiles with keepNames, which wraps functions in a __name helper the page lacks.
    await context.addInitScript('globalThis.__name = (fn) => fn')
    const page = await context.newPage()
    await page.goto(`${server.origin}/1`, { waitUntil: 'load' })
    await stepThrough(page, async (url) => {
      const { no, clicks } = stateOf(url, deck)
      const slide = deck.slides[no - 1]
      if (!slide)
        return
      await settle(page, slide, 10_000)
      const file = join(options.outDir, `slide-${String(no).padStart(3, '0')}-click-${clicks}.png`)
      await page.locator('#slide-content').screenshot({ path: file, animations: 'disabled', caret: 'hide' })
      slides[no - 1]!.states.push({ clicks, file })
    })
  }
  finally {
    await browser.close()
    await server.close()
  }
  const missed = slides.filter(slide => slide.states.length === 0)
  if (missed.length)
    throw new Error(`the browser never reached slide(s) ${missed.map(slide => slide.fingerprint.no).join(', ')} of ${deck.entry}`)
  return { slides }
}
