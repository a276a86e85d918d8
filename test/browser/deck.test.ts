import type { Browser, Page } from 'playwright-chromium'
import type { Deck } from '../../scripts/core/deck-source'
import type { StaticServer } from '../../scripts/core/serve'
import type { GateRun } from './harness/browser-gates'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-chromium'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TRAFFIC_CASES } from '../../model/firewall/traffic-cases'
import { buildDeck } from '../../scripts/core/build-deck'
import { findLocalChromium, HEADLESS_CHROMIUM_ARGS } from '../../scripts/core/chromium'
import { readDeck } from '../../scripts/core/deck-source'
import { serveStatic } from '../../scripts/core/serve'
import { formatFailure, GATE_NAMES, runBrowserGates } from './harness/browser-gates'

const entry = fileURLToPath(new URL('../../slides.md', import.meta.url))

let deck: Deck
let distDir: string
let chromiumPath: string

beforeAll(async () => {
  deck = await readDeck(entry)
  const [built, chromium] = await Promise.all([buildDeck(entry), findLocalChromium()])
  distDir = built
  chromiumPath = chromium.path
})

describe('the talk in a real browser (built deck on 127.0.0.1, light and dark)', () => {
  let run: GateRun

  beforeAll(async () => {
    run = await runBrowserGates({
      target: { distDir },
      deck,
      chromiumPath,
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

  for (const gate of GATE_NAMES) {
    it(`passes the ${gate} gate on every slide`, () => {
      expect(run.failures.filter(failure => failure.gate === gate).map(formatFailure)).toEqual([])
    })
  }
})

describe('the interactive components, driven from the keyboard in the built deck', () => {
  let browser: Browser
  let page: Page
  let server: StaticServer

  const slideWith = (component: string) => deck.slides.find(slide => slide.content.includes(`<${component}`))!.no

  /** How far the element's bottom edge is below the slide's; 0 or less means it fits. */
  const pastSlideBottom = (selector: string) => page.evaluate((sel) => {
    const slide = document.querySelector('#slide-content')!.getBoundingClientRect()
    return document.querySelector(sel)!.getBoundingClientRect().bottom - slide.bottom
  }, selector)

  /** Tabs through the page until a radio button inside `container` has the focus. */
  async function tabInto(container: string): Promise<void> {
    for (let presses = 0; presses < 40; presses++) {
      await page.keyboard.press('Tab')
      if (await page.evaluate(sel => !!document.activeElement?.closest(sel) && document.activeElement?.tagName === 'INPUT', container))
        return
    }
    throw new Error(`Tab never reached a radio button in ${container}`)
  }

  beforeAll(async () => {
    server = await serveStatic(distDir)
    browser = await chromium.launch({ executablePath: chromiumPath, args: HEADLESS_CHROMIUM_ARGS })
    page = await browser.newPage({
      viewport: { width: 1280, height: 720 },
    })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('steps the pod start-up one click at a time, and switches layout by keyboard with a visible focus', async () => {
    const no = slideWith('PodStartup')
    await page.goto(`${server.origin}/${no}`, { waitUntil: 'load' })
    await page.locator('.pod-startup').waitFor()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.locator('.pod-startup__step--current').textContent()).toContain('The scheduler binds the pod')

    await tabInto('.pod-startup__switches')
    const focused = page.locator('.pod-startup__switches label:has(input:focus-visible)')
    await expect.poll(() => focused.evaluate(label => getComputedStyle(label).outlineStyle)).toBe('solid')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.locator('.pod-startup').getAttribute('aria-label')).toBe('Pod start-up, CNI plugin · native sidecar')
    // While a switch has the focus, the arrow keys belong to it, not to the slides.
    expect(new URL(page.url()).pathname).toBe(`/${no}`)
    expect(await page.locator('.pod-startup__step--current').textContent()).toContain('The scheduler binds the pod')

    await page.keyboard.press('Escape')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.locator('.pod-startup__step--current').textContent()).toContain('The kubelet asks for a sandbox')
  })

  it('fits every step of all four layouts on the slide, the current one opened', async () => {
    const no = slideWith('PodStartup')
    for (const [firewall, sidecar] of [
      ['linkerd-init', 'native sidecar'],
      ['linkerd-init', 'classic sidecar'],
      ['CNI plugin', 'native sidecar'],
      ['CNI plugin', 'classic sidecar'],
    ]) {
      await page.goto(`${server.origin}/${no}?clicks=8`, { waitUntil: 'load' })
      const switches = page.locator('.pod-startup__switches')
      await switches.getByText(firewall!, { exact: true }).click()
      await switches.getByText(sidecar!, { exact: true }).click()
      await expect.poll(() => page.locator('.pod-startup').getAttribute('aria-label')).toBe(`Pod start-up, ${firewall} · ${sidecar}`)
      expect(await page.locator('.pod-startup__step--hidden').count()).toBe(0)
      // Step back through every click: the layout stays, and each step's detail fits.
      await page.keyboard.press('Escape')
      for (let step = 8; step >= 1; step--) {
        await expect.poll(() => page.locator('.pod-startup__step--current .pod-startup__number').textContent()).toBe(String(step))
        expect(await page.locator('.pod-startup__detail').count()).toBe(1)
        expect(await page.locator('.pod-startup').getAttribute('aria-label')).toBe(`Pod start-up, ${firewall} · ${sidecar}`)
        expect(await pastSlideBottom('.pod-startup'), `${firewall}, ${sidecar}, step ${step}`).toBeLessThanOrEqual(0)
        await page.keyboard.press('ArrowLeft')
      }
    }
  })

  it('walks each connection through the rules, picked with the arrow keys, and fits every one on the slide', async () => {
    const no = slideWith('PacketPath')
    await page.goto(`${server.origin}/${no}`, { waitUntil: 'load' })
    await page.locator('.packet-path').waitFor()
    await tabInto('.packet-path__cases')
    const outcomes: string[] = []
    for (let i = 0; i < TRAFFIC_CASES.length; i++) {
      outcomes.push((await page.locator('.packet-path__outcome').textContent())!.trim())
      expect(await pastSlideBottom('.packet-path'), outcomes.at(-1)).toBeLessThanOrEqual(0)
      await page.keyboard.press('ArrowDown')
    }
    expect(new URL(page.url()).pathname).toBe(`/${no}`)
    expect(new Set(outcomes).size).toBeGreaterThan(4)
    expect(outcomes).toContain('→ refused: nothing listens on 127.0.0.1:4140')
  })
})
