import type { Buffer } from 'node:buffer'
// <RepoLink> in real Chromium, on the two fixture decks of test/fixtures/attendee-links/ (the
// opening's "Follow along" slide and the last slide's compact row): with package.json's
// repository set, the QR code read from a screenshot, in light and in dark, and from the
// exported PDF's pages (which Slidev prints from its dev server) is exactly the address, and the
// PDF draws it as vector paths, not an image; without it, "address to be announced" and no QR
// code. Both slides pass the overflow and legibility gates. Screenshots go to
// test-results/attendee-links/.
import type { Browser, Page } from 'playwright-chromium'
import type { StaticServer } from '../../scripts/core/serve'
import { mkdirSync, readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import jsQR from 'jsqr'
import { chromium } from 'playwright-chromium'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDeck } from '../../scripts/core/build-deck'
import { findLocalChromium, HEADLESS_CHROMIUM_ARGS } from '../../scripts/core/chromium'
import { readDeck } from '../../scripts/core/deck-source'
import { serveStatic } from '../../scripts/core/serve'
import { exportDeck } from '../../scripts/export/export-deck'
import { openPage } from './harness/pages'
import { inspectSlide } from './harness/slide-inspector'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/attendee-links/${name}/slides.md`, import.meta.url))
const screenshots = join(repo, 'test-results', 'attendee-links')
const URL_SET = 'https://github.com/example-owner/attendee-links-fixture'
const SCHEMES = ['light', 'dark'] as const
const SLIDES = [1, 2]

let chromiumPath: string
let browser: Browser

beforeAll(async () => {
  chromiumPath = (await findLocalChromium()).path
  browser = await chromium.launch({ executablePath: chromiumPath, args: HEADLESS_CHROMIUM_ARGS })
  mkdirSync(screenshots, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
})

/** RGBA pixels of a PNG, decoded by the browser itself (no PNG library needed). */
async function pixelsOfPng(png: Buffer): Promise<{ data: Uint8ClampedArray, width: number, height: number }> {
  const page = await browser.newPage()
  try {
    const { data, width, height } = await page.evaluate(async (base64) => {
      const image = new Image()
      image.src = `data:image/png;base64,${base64}`
      await image.decode()
      const canvas = document.createElement('canvas')
      canvas.width = image.naturalWidth
      canvas.height = image.naturalHeight
      const context = canvas.getContext('2d')!
      context.drawImage(image, 0, 0)
      return {
        data: [...context.getImageData(0, 0, canvas.width, canvas.height).data],
        width: canvas.width,
        height: canvas.height,
      }
    }, png.toString('base64'))
    return {
      data: Uint8ClampedArray.from(data),
      width,
      height,
    }
  }
  finally {
    await page.close()
  }
}

/** RGBA pixels of a binary PPM (P6), as pdftoppm writes it. */
function pixelsOfPpm(ppm: Buffer): { data: Uint8ClampedArray, width: number, height: number } {
  const header = ppm.subarray(0, 64).toString('latin1').match(/^P6\s+(\d+)\s+(\d+)\s+255\s/)
  if (!header)
    throw new Error('not a binary PPM')
  const [width, height] = [Number(header[1]), Number(header[2])]
  const rgb = ppm.subarray(header[0].length)
  const data = new Uint8ClampedArray(width * height * 4)
  for (let pixel = 0; pixel < width * height; pixel++) {
    data.set(rgb.subarray(pixel * 3, pixel * 3 + 3), pixel * 4)
    data[pixel * 4 + 3] = 255
  }
  return { data, width, height }
}

async function openSlide(page: Page, origin: string, no: number): Promise<void> {
  await page.goto(`${origin}/${no}`, { waitUntil: 'load' })
  await page.waitForSelector(`.slidev-page[data-slidev-no="${no}"]`)
  await page.evaluate(() => document.fonts.ready.then(() => true))
  await page.waitForTimeout(200)
}

async function gates(page: Page, no: number): Promise<{ overflow: string[], smallest: number }> {
  const inspection = await page.evaluate(inspectSlide, { slideNo: no, tolerance: 1 })
  return {
    overflow: inspection.overflow,
    smallest: Math.min(...inspection.smallestText.filter(text => text.kind !== 'diagram').map(text => text.px)),
  }
}

describe('repoLink with package.json\'s repository set', () => {
  let server: StaticServer

  beforeAll(async () => {
    server = await serveStatic(await buildDeck(fixture('with-address')))
  })

  afterAll(async () => {
    await server?.close()
  })

  for (const scheme of SCHEMES) {
    it(`shows the link and a QR code a phone reads as exactly the address (${scheme})`, async () => {
      const { context, page, errors } = await openPage(browser, scheme)
      try {
        for (const no of SLIDES) {
          await openSlide(page, server.origin, no)
          const slide = page.locator(`.slidev-page[data-slidev-no="${no}"]`)
          expect(await slide.locator('a.repo-link__address').getAttribute('href')).toBe(URL_SET)
          const qr = slide.locator('.repo-link__qr svg')
          const { data, width, height } = await pixelsOfPng(await qr.screenshot())
          expect(jsQR(data, width, height)?.data, `slide ${no}`).toBe(URL_SET)
          const { overflow, smallest } = await gates(page, no)
          expect(overflow, `slide ${no}`).toEqual([])
          expect(smallest, `slide ${no}`).toBeGreaterThanOrEqual(12)
          await page.screenshot({
            path: join(screenshots, `with-address-${no}-${scheme}.png`),
          })
        }
        expect(errors).toEqual([])
      }
      finally {
        await context.close()
      }
    })
  }

  it('prints it into the PDF as vector paths that still read as exactly the address', async () => {
    const deck = await readDeck(fixture('with-address'))
    const scratch = await mkdtemp(join(tmpdir(), 'attendee-links-pdf-'))
    const pdf = await exportDeck({
      deck,
      chromiumPath,
      output: join(scratch, 'fixture.pdf'),
    })
    const images = await execa('pdfimages', ['-list', pdf])
    expect(images.stdout.trim().split('\n').slice(2)).toEqual([])
    for (const no of SLIDES) {
      await execa('pdftoppm', [
        '-r',
        '150',
        '-f',
        String(no),
        '-l',
        String(no),
        '-singlefile',
        pdf,
        join(scratch, `page-${no}`),
      ])
      const { data, width, height } = pixelsOfPpm(readFileSync(join(scratch, `page-${no}.ppm`)))
      expect(jsQR(data, width, height)?.data, `page ${no}`).toBe(URL_SET)
    }
  }, 180_000)
})

describe('repoLink without package.json\'s repository', () => {
  let server: StaticServer

  beforeAll(async () => {
    server = await serveStatic(await buildDeck(fixture('without-address')))
  })

  afterAll(async () => {
    await server?.close()
  })

  for (const scheme of SCHEMES) {
    it(`says "address to be announced" and shows no QR code (${scheme})`, async () => {
      const { context, page } = await openPage(browser, scheme)
      try {
        for (const no of SLIDES) {
          await openSlide(page, server.origin, no)
          const slide = page.locator(`.slidev-page[data-slidev-no="${no}"]`)
          expect(await slide.locator('.repo-link__tba').textContent()).toBe('address to be announced')
          expect(await slide.locator('.repo-link svg, .repo-link a').count()).toBe(0)
          const { overflow, smallest } = await gates(page, no)
          expect(overflow, `slide ${no}`).toEqual([])
          expect(smallest, `slide ${no}`).toBeGreaterThanOrEqual(12)
          await page.screenshot({
            path: join(screenshots, `without-address-${no}-${scheme}.png`),
          })
        }
      }
      finally {
        await context.close()
      }
    })
  }
})
