import type { Browser, Page } from 'playwright-chromium'
import type { Deck } from '../../scripts/core/deck-source'
import type { PagesServer } from '../../scripts/pages/serve'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { chromium } from 'playwright-chromium'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findLocalChromium, HEADLESS_CHROMIUM_ARGS } from '../../scripts/core/chromium'
import { readDeck } from '../../scripts/core/deck-source'
import { servePagesSite } from '../../scripts/pages/serve'

// The deck as GitHub Pages serves it: npm run build:site for a repository named deck-review,
// served under /deck-review/ by a server that answers like Pages (x from x.html, anything else
// 404.html with status 404, nothing outside the base). Deep links, reloads and navigation must
// work, with no missing asset and no request off this host.

const project = fileURLToPath(new URL('../..', import.meta.url))
const BASE = '/deck-review/'
let deck: Deck
let site: string
let server: PagesServer
let browser: Browser

function buildSite(...args: string[]) {
  return execa('tsx', ['scripts/build-site.ts', ...args], {
    cwd: project,
    preferLocal: true,
    reject: false,
    all: true,
  })
}

beforeAll(async () => {
  deck = await readDeck(join(project, 'slides.md'))
  const scratch = await mkdtemp(join(tmpdir(), 'pages-test-'))
  // The real PDFs take minutes to export; the site only copies and lists them.
  const pdf = join(scratch, 'what-really-happens-at-startup.pdf')
  const handout = join(scratch, 'what-really-happens-at-startup-handout.pdf')
  await writeFile(pdf, '%PDF-1.7 slides stand-in\n')
  await writeFile(handout, '%PDF-1.7 handout stand-in\n')
  site = join(scratch, 'site')
  const build = await buildSite('--repository', 'someone/deck-review', '--out', site, '--with', pdf, '--with', handout)
  expect(build.exitCode, build.all).toBe(0)
  server = await servePagesSite(site, BASE)
  browser = await chromium.launch({ executablePath: (await findLocalChromium()).path, args: HEADLESS_CHROMIUM_ARGS })
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** A page that records every failed response and every request off 127.0.0.1, and its errors. */
async function watchedPage(): Promise<{ page: Page, problems: string[], fallbacks: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
  })
  const page = await context.newPage()
  const problems: string[] = []
  const fallbacks: string[] = []
  page.on('request', (request) => {
    if (!/^(?:data|blob|about):/.test(request.url()) && new URL(request.url()).hostname !== '127.0.0.1')
      problems.push(`request off the host: ${request.url()}`)
  })
  page.on('requestfailed', (request) => {
    if (request.failure()?.errorText !== 'net::ERR_ABORTED')
      problems.push(`request failed: ${request.url()}`)
  })
  page.on('response', (response) => {
    if (response.status() < 400)
      return
    // The 404.html fallback answers a page the site has no file for: only ever a navigation.
    if (response.request().isNavigationRequest() && response.status() === 404)
      fallbacks.push(new URL(response.url()).pathname)
    else
      problems.push(`HTTP ${response.status()} for ${response.url()}`)
  })
  page.on('pageerror', error => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    // A failed load is reported above with its address (the fallback's own 404 included).
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(`console error: ${message.text()}`)
  })
  return { page, problems, fallbacks }
}

const shownSlide = (page: Page) => page.locator('#slide-content .slidev-page').filter({ visible: true }).first().getAttribute('data-slidev-no')

describe('the deck on GitHub Pages, under /<repository>/', () => {
  it('the site has the fallback, .nojekyll, a page per slide, and the PDFs', () => {
    for (const file of [
      '404.html',
      '.nojekyll',
      'index.html',
      '1.html',
      `${deck.slides.length}.html`,
      'what-really-happens-at-startup.pdf',
      'what-really-happens-at-startup-handout.pdf',
    ])
      expect(existsSync(join(site, file)), file).toBe(true)
  })

  it('the front page links into the deck and to the PDF and the handout, each of which loads', async () => {
    const { page, problems, fallbacks } = await watchedPage()
    const response = await page.goto(server.url)
    expect(response?.status()).toBe(200)
    const links = await page.locator('a').evaluateAll(anchors => anchors.map(a => ({ text: a.textContent ?? '', href: (a as HTMLAnchorElement).href })))
    expect(links.map(link => link.text)).toEqual(expect.arrayContaining([
      expect.stringContaining('Open the deck'),
      expect.stringContaining('Slides (PDF'),
      expect.stringContaining('Handout (PDF'),
    ]))
    for (const link of links.filter(link => link.href.endsWith('.pdf'))) {
      const pdf = await page.request.get(link.href)
      expect(pdf.status(), link.href).toBe(200)
      expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-')
    }
    await page.getByText('Open the deck').click()
    await expect.poll(() => page.url()).toBe(`${server.url}1`)
    await expect.poll(() => shownSlide(page)).toBe('1')
    expect(problems).toEqual([])
    expect(fallbacks).toEqual([])
    await page.context().close()
  })

  it('opens a deep slide by its URL, reloads it, and navigates on, with every asset found', async () => {
    const { page, problems, fallbacks } = await watchedPage()
    const outcomes = deck.slides.find(slide => slide.title === 'What you\'ll get out of this')!
    const deep = `${server.url}${outcomes.no}?clicks=2`
    expect((await page.goto(deep, { waitUntil: 'networkidle' }))?.status()).toBe(200)
    await expect.poll(() => shownSlide(page)).toBe(String(outcomes.no))
    expect((await page.reload({ waitUntil: 'networkidle' }))?.status()).toBe(200)
    expect(page.url()).toBe(deep)
    await expect.poll(() => shownSlide(page)).toBe(String(outcomes.no))
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.url()).toBe(`${server.url}${outcomes.no}?clicks=3`)
    // On to the next slide by its number, then a reload there.
    for (let presses = 0; presses < 10 && !page.url().startsWith(`${server.url}${outcomes.no + 1}`); presses++) {
      await page.keyboard.press('ArrowRight')
      await page.waitForTimeout(150)
    }
    expect(page.url()).toBe(`${server.url}${outcomes.no + 1}`)
    expect((await page.reload({ waitUntil: 'networkidle' }))?.status()).toBe(200)
    await expect.poll(() => shownSlide(page)).toBe(String(outcomes.no + 1))
    expect(problems).toEqual([])
    expect(fallbacks).toEqual([])
    await page.context().close()
  })

  it('opens a slide by its routeAlias', async () => {
    const aliased = deck.slides.find(slide => typeof slide.frontmatter.routeAlias === 'string')!
    const { page, problems } = await watchedPage()
    expect((await page.goto(`${server.url}${String(aliased.frontmatter.routeAlias)}`, { waitUntil: 'networkidle' }))?.status()).toBe(200)
    await expect.poll(() => shownSlide(page)).toBe(String(aliased.no))
    expect(problems).toEqual([])
    await page.context().close()
  })

  it('serves what has no page of its own (overview, presenter mode) from 404.html, which loads every slide\'s assets', async () => {
    const { page, problems, fallbacks } = await watchedPage()
    await page.goto(`${server.url}overview`, { waitUntil: 'networkidle' })
    // The overview draws every slide: each image, font and component the deck uses is fetched.
    await expect.poll(() => page.locator('.slidev-page').count()).toBeGreaterThanOrEqual(deck.slides.length)
    await page.waitForLoadState('networkidle')
    await page.goto(`${server.url}presenter/3`, { waitUntil: 'networkidle' })
    await expect.poll(() => page.locator('.slidev-note').count()).toBeGreaterThan(0)
    expect(fallbacks).toEqual([`${BASE}overview`, `${BASE}presenter/3`])
    expect(problems).toEqual([])
    await page.context().close()
  })

  it('the server answers like Pages: 404.html for a missing page, nothing outside the base', async () => {
    const missing = await fetch(`${server.url}no-such-page`)
    expect(missing.status).toBe(404)
    expect(await missing.text()).toBe(await readFile(join(site, '404.html'), 'utf8'))
    expect((await fetch(`${server.origin}/assets/`)).status).toBe(404)
    expect((await fetch(`${server.origin}/`)).status).toBe(404)
  })
})

describe('what this test catches', () => {
  it('a site built without the base: its deep links load no assets', async () => {
    const wrong = join(await mkdtemp(join(tmpdir(), 'pages-test-')), 'site')
    const build = await buildSite('--base', '/', '--out', wrong)
    expect(build.exitCode, build.all).toBe(0)
    const underBase = await servePagesSite(wrong, BASE)
    try {
      const { page, problems } = await watchedPage()
      await page.goto(`${underBase.url}3`, { waitUntil: 'networkidle' })
      expect(problems.filter(problem => /^HTTP 404 for http:\/\/127\.0\.0\.1:\d+\/assets\//.test(problem)).length).toBeGreaterThan(0)
      await page.context().close()
    }
    finally {
      await underBase.close()
    }
  }, 120_000)
})

describe('npm run build:site refuses bad input before building', () => {
  it('a file to publish that is missing, naming it, with nothing written', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'pages-test-')), 'site')
    const run = await buildSite('--out', out, '--with', 'no-such.pdf')
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain('--with no-such.pdf: no such file')
    expect(existsSync(out)).toBe(false)
  })

  it('a base that is not a path', async () => {
    const run = await buildSite('--base', 'deck')
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain('--base deck: a path that starts and ends with "/"')
  })
})
