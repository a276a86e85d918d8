import type { Browser, BrowserContext, Page } from 'playwright-chromium'
import type { StepTiming } from './result'
import { chromium } from 'playwright-chromium'
import { HEADLESS_CHROMIUM_ARGS } from '../core/chromium'
import { serveStatic } from '../core/serve'
import { installProbe } from './page-probe'

export class SlideNeverPaintedError extends Error {}

/** The slides a presenter steps through: number, title (to name steps), routeAlias if any. */
export interface SlideInfo {
  no: number
  title: string
  alias?: string
}

export interface BrowserOptions {
  chromiumPath: string
  /** How long one slide or click may take to paint before the bench gives up on it. */
  stepTimeoutMs?: number
  /**
   * How long the presenter stays on slide 1 before the first key press. Slidev loads and mounts
   * every slide 3 s after the deck opens; a presenter's opening words give it that time.
   */
  warmUpMs?: number
}

// Every name but loopback fails to resolve, at once: both decks run offline, and a deck that
// reaches for the internet is measured as it would run in a venue without it.
const OFFLINE_ARGS = ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1']
const VIEWPORT = { width: 1280, height: 720 }
const PROBE_SCRIPT = `var __name = (target) => target;\n(${installProbe.toString()})()`

export async function launchBrowser(chromiumPath: string): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [...HEADLESS_CHROMIUM_ARGS, ...OFFLINE_ARGS],
  })
}

async function openDeck(browser: Browser, offline: Set<string>): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' })
  await context.addInitScript({ content: PROBE_SCRIPT })
  const page = await context.newPage()
  page.on('requestfailed', (request) => {
    const url = new URL(request.url())
    if (url.hostname !== '127.0.0.1')
      offline.add(url.origin + url.pathname)
  })
  return { context, page }
}

async function waitingFor(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { __benchProbe: { waitingFor: string } }).__benchProbe.waitingFor).catch(() => 'the page to answer')
}

/** Serves the built deck in `dist` on loopback for the duration of `use`. */
export async function withServedDeck<T>(dist: string, use: (origin: string) => Promise<T>): Promise<T> {
  const server = await serveStatic(dist)
  try {
    return await use(server.origin)
  }
  finally {
    await server.close()
  }
}

/**
 * A fresh page (no cache) opens slide 1: milliseconds from navigation start to its content
 * painted, and the JavaScript bytes loaded by then.
 */
export async function firstSlide(browser: Browser, origin: string, options: BrowserOptions, offline: Set<string>): Promise<{ ms: number, jsBytes: number }> {
  const { context, page } = await openDeck(browser, offline)
  const timeout = options.stepTimeoutMs ?? 20_000
  try {
    await page.goto(`${origin}/1`, { waitUntil: 'commit' })
    try {
      const handle = await page.waitForFunction(() => (window as unknown as { __benchProbe: { firstSlide?: unknown } }).__benchProbe.firstSlide, undefined, { timeout, polling: 50 })
      return await handle.jsonValue() as { ms: number, jsBytes: number }
    }
    catch {
      throw new SlideNeverPaintedError(`slide 1 was not painted within ${timeout / 1000} s of opening ${origin}/1: waiting for ${await waitingFor(page)}`)
    }
  }
  finally {
    await context.close()
  }
}

/** Waits for the page to go quiet between steps, as a presenter's pause would let it. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>(resolve => requestIdleCallback(() => setTimeout(resolve, 100), { timeout: 1000 })))
}

/**
 * Steps forward with the right arrow key from slide 1 to the last click of the last slide:
 * each slide change and click step, timed from the key press to the first frame painted with
 * the new content ready (see page-probe.ts).
 */
export async function stepThrough(browser: Browser, origin: string, slides: readonly SlideInfo[], options: BrowserOptions, offline: Set<string>): Promise<StepTiming[]> {
  const { context, page } = await openDeck(browser, offline)
  const timeout = options.stepTimeoutMs ?? 20_000
  const titles = new Map(slides.map(slide => [slide.no, slide.title]))
  const aliases = Object.fromEntries(slides.flatMap(slide => slide.alias ? [[slide.alias, slide.no]] : []))
  const lastSlide = Math.max(...titles.keys())
  const steps: StepTiming[] = []
  try {
    await page.goto(`${origin}/1`)
    await page.waitForFunction(() => (window as unknown as { __benchProbe: { firstSlide?: unknown } }).__benchProbe.firstSlide, undefined, { timeout })
      .catch(async () => {
        throw new SlideNeverPaintedError(`slide 1 (${titles.get(1) ?? ''}) was not painted within ${timeout / 1000} s: waiting for ${await waitingFor(page)}`)
      })
    await page.waitForTimeout(options.warmUpMs ?? 5_000)
    await page.evaluate(map => (window as unknown as { __benchProbe: { aliases: Record<string, number> } }).__benchProbe.aliases = map, aliases)
    for (;;) {
      await settle(page)
      const from = await page.evaluate(() => (window as unknown as { __benchState: () => string }).__benchState())
      await page.evaluate(at => (window as unknown as { __benchProbe: { watch: (from: string) => void } }).__benchProbe.watch(at), from)
      await page.keyboard.press('ArrowRight')
      const fromSlide = Number(from.split(':')[0])
      // On the last slide, a key press that moves nothing means the deck is done.
      const wait = fromSlide >= lastSlide ? 2_000 : timeout
      const result = await page.waitForFunction(() => (window as unknown as { __benchProbe: { result?: unknown } }).__benchProbe.result, undefined, { timeout: wait, polling: 20 })
        .then(handle => handle.jsonValue() as Promise<{ ms: number, no: number, clicks: number }>)
        .catch(() => undefined)
      if (!result) {
        const why = await waitingFor(page)
        if (fromSlide >= lastSlide && why === 'the deck to move on')
          return steps
        const [no, clicks] = (await page.evaluate(() => (window as unknown as { __benchState: () => string }).__benchState())).split(':').map(Number)
        const where = `slide ${no} (${titles.get(no!) ?? ''})${clicks ? `, click ${clicks}` : ''}`
        throw new SlideNeverPaintedError(`after slide ${from.replace(':', ', click ')}, ${where} was not painted within ${wait / 1000} s of the key press: waiting for ${why}`)
      }
      steps.push({
        slide: result.no,
        title: titles.get(result.no) ?? '',
        click: result.clicks,
        ms: result.ms,
      })
    }
  }
  finally {
    await context.close()
  }
}
