import type { Page } from 'playwright-chromium'
import type { Deck, DeckSlide } from './deck-source'
import { countMermaidBlocks } from './markdown'

// How a built deck is walked in Chromium, slide by slide and click by click: by the browser
// gates (test/browser/) and by the slide diff (scripts/slide-diff/).

const MAX_STEPS = 2000

/**
 * The slide and click step a deck URL shows: `/12?clicks=3`, `/presenter/12`, or a slide's
 * `routeAlias` in place of its number (Slidev puts the alias in the URL).
 */
export function stateOf(url: string, deck: Pick<Deck, 'slides'>): { no: number, clicks: number } {
  const parsed = new URL(url)
  const segment = decodeURIComponent(parsed.pathname.split('/').filter(Boolean).at(-1) ?? '1')
  const aliased = deck.slides.find(slide => slide.frontmatter.routeAlias === segment)
  const no = aliased?.no ?? Number(segment)
  const clicks = Number(parsed.searchParams.get('clicks') ?? '0')
  return {
    no: Number.isFinite(no) && no > 0 ? no : 1,
    clicks: Number.isFinite(clicks) ? clicks : 0,
  }
}

/** Waits until the slide's images have loaded, its diagrams are drawn (or failed) and its fonts are ready. */
export async function settle(page: Page, slide: DeckSlide, timeoutMs: number): Promise<void> {
  const expectedDiagrams = countMermaidBlocks(slide.content)
  await page.waitForFunction(({ no, diagrams }) => {
    const element = document.querySelector(`.slidev-page[data-slidev-no="${no}"]`)
    if (!element)
      return false
    const images = [...element.querySelectorAll('img')].every(image => image.complete)
    const drawn = [
      ...element.querySelectorAll('.mermaid'),
    ].filter(host => host.shadowRoot?.querySelector('svg')).length
    const failed = element.querySelectorAll('pre[border]').length
    return images && drawn + failed >= diagrams
  }, { no: slide.no, diagrams: expectedDiagrams }, { timeout: timeoutMs, polling: 100 }).catch(() => {})
  await page.evaluate(() => document.fonts.ready.then(() => true))
  // v-click transitions are short CSS transitions; let them finish before measuring.
  await page.waitForTimeout(120)
}

function isLocalUrl(url: string): boolean {
  if (/^(?:data|blob|about):/.test(url))
    return true
  try {
    return new URL(url).hostname === '127.0.0.1'
  }
  catch {
    return false
  }
}

/** Reports what a deck must never request: another host, a request that failed, an HTTP error. */
export function watchRequests(page: Page, report: (detail: string, url: string) => void): void {
  page.on('request', (request) => {
    if (!isLocalUrl(request.url()))
      report(`request to a host other than 127.0.0.1: ${request.url()}`, request.url())
  })
  page.on('requestfailed', (request) => {
    // ERR_ABORTED is the page cancelling its own request (we navigated on); a missing file is a 404.
    if (isLocalUrl(request.url()) && request.failure()?.errorText !== 'net::ERR_ABORTED')
      report(`request failed (${request.failure()?.errorText ?? 'unknown'}): ${request.url()}`, request.url())
  })
  page.on('response', (response) => {
    if (response.status() >= 400)
      report(`HTTP ${response.status()} for ${response.url()}`, response.url())
  })
}

/** Presses the right arrow until the URL stops changing, calling `visit` on every state. */
export async function stepThrough(page: Page, visit: (url: string) => Promise<void>): Promise<void> {
  for (let step = 0; step < MAX_STEPS; step++) {
    await visit(page.url())
    const before = page.url()
    await page.keyboard.press('ArrowRight')
    const moved = await page.waitForURL(url => url.toString() !== before, { timeout: 1500 }).then(() => true, () => false)
    if (!moved)
      return
  }
}
