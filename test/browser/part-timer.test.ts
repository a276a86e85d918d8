import type { Browser, Page } from 'playwright-chromium'
import type { Deck } from '../../scripts/core/deck-source'
import type { StaticServer } from '../../scripts/core/serve'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-chromium'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { talkPlan } from '../../model/part-timer'
import { buildDeck } from '../../scripts/core/build-deck'
import { findLocalChromium, HEADLESS_CHROMIUM_ARGS } from '../../scripts/core/chromium'
import { readDeck } from '../../scripts/core/deck-source'
import { serveStatic } from '../../scripts/core/serve'

// The part timer (global-top.vue, components/PartTimer.vue) in the built deck: on the presenter's
// view of a slide, and nowhere on the audience's.

const entry = fileURLToPath(new URL('../../slides.md', import.meta.url))
const SCREENSHOT = process.env.PART_TIMER_SCREENSHOT

let deck: Deck
let server: StaticServer
let browser: Browser
let page: Page

beforeAll(async () => {
  deck = await readDeck(entry)
  const [distDir, found] = await Promise.all([buildDeck(entry), findLocalChromium()])
  server = await serveStatic(distDir)
  browser = await chromium.launch({ executablePath: found.path, args: HEADLESS_CHROMIUM_ARGS })
  page = await browser.newPage({
    viewport: { width: 1600, height: 900 },
  })
  // Offline, as every browser test: nothing but 127.0.0.1.
  await page.route(url => !url.origin.startsWith('http://127.0.0.1'), route => route.abort())
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('the part timer in the built deck', () => {
  it('shows the current part, its budget and the time left in it in presenter mode, counting once the timer runs', async () => {
    const handsOn = talkPlan(deck.slides).parts.find(part => part.title.startsWith('Hands-on'))!
    const no = handsOn.slides[1]!.no
    // A clock the test can move forward; it runs on its own until then.
    await page.clock.install()
    await page.goto(`${server.origin}/presenter/${no}`, { waitUntil: 'load' })
    const timer = page.locator('.part-timer')
    await timer.waitFor()
    expect(await timer.textContent()).toBe(`Part ${handsOn.part} · ${handsOn.title} · ${handsOn.budgetMinutes} min · until ${handsOn.endMinute}:00`)
    expect(await timer.getAttribute('data-state')).toBe('waiting')

    // Start Slidev's presenter timer (its play control shows on hover), as the presenter does.
    await page.locator('.grid-section.bottom > .group').last().hover()
    await page.locator('.grid-section.bottom .i-carbon\\:play').click()
    await expect.poll(() => timer.getAttribute('data-state')).toBe('ok')
    expect(await timer.textContent()).toMatch(new RegExp(`^Part ${handsOn.part} · ${handsOn.title} · ${handsOn.budgetMinutes} min · (${handsOn.endMinute}:00|${handsOn.endMinute - 1}:5\\d) left$`))
    if (SCREENSHOT)
      await page.screenshot({ path: `${SCREENSHOT}-ok.png` })

    // Half a minute before the part's planned end: amber; half a minute after it: red.
    await page.clock.fastForward((handsOn.endMinute * 60 - 30) * 1000)
    await expect.poll(() => timer.getAttribute('data-state')).toBe('amber')
    expect(await timer.textContent()).toMatch(/ · 0:[23]\d left$/)
    if (SCREENSHOT)
      await page.screenshot({ path: `${SCREENSHOT}-amber.png` })
    await page.clock.fastForward(60_000)
    await expect.poll(() => timer.getAttribute('data-state')).toBe('red')
    expect(await timer.textContent()).toMatch(/ · 0:[23]\d over$/)
    if (SCREENSHOT)
      await page.screenshot({ path: `${SCREENSHOT}-red.png` })
  })

  it('is not on the audience\'s view of the same slide', async () => {
    const no = talkPlan(deck.slides).parts.find(part => part.title.startsWith('Hands-on'))!.slides[1]!.no
    await page.goto(`${server.origin}/${no}`, { waitUntil: 'load' })
    await page.locator(`.slidev-page[data-slidev-no="${no}"] .snippet-run`).first().waitFor()
    expect(await page.locator('.part-timer').count()).toBe(0)
  })
})
