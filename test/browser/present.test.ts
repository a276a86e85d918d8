// npm run present against the fixture deck (test/fixtures/present/: a staged step, steps that
// match, differ and hang, laid out like the talk's hands-on slides), its cluster staged as
// `npm run stage` leaves it, on the stand-in kind and docker (test/fixtures/stand-in-bin/): the
// run control is reached with Tab and run with Enter without turning the slide, the output
// streams into the terminal and is marked, and the presenter window shows the same. The build of the same deck, made with
// SLIDEV_LIVE_STEPS=1 set, has no token and no run control. Screenshots of the finished runs, in
// light and dark, go to test-results/present/.
import type { Browser, Page } from 'playwright-chromium'
import type { StaticServer } from '../../scripts/core/serve'
import type { PresentServer } from './harness/present-server'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { chromium } from 'playwright-chromium'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findLocalChromium, HEADLESS_CHROMIUM_ARGS } from '../../scripts/core/chromium'
import { writeFileAtomically } from '../../scripts/core/files'
import { serveStatic } from '../../scripts/core/serve'
import { keepOutput, talkPaths, writeTalkState } from '../../scripts/talk/talk-files'
import { openPage, tabTo } from './harness/pages'
import { startPresent } from './harness/present-server'
import { inspectSlide } from './harness/slide-inspector'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const fixture = fileURLToPath(new URL('../fixtures/present', import.meta.url))
const standIns = fileURLToPath(new URL('../fixtures/stand-in-bin', import.meta.url))
const screenshots = join(repo, 'test-results', 'present')
const stagedAt = new Date(Date.now() - 40 * 60_000)

let chromiumPath: string

const terminal = (page: Page, step: string) => page.locator(`.snippet-run[data-step="${step}"]`)
const path = (page: Page) => new URL(page.url()).pathname

/** The smallest prose and code text on the slide, in pixels of the 980px canvas, and what overflows. */
async function legibility(page: Page, slideNo: number) {
  const inspection = await page.evaluate(inspectSlide, { slideNo, tolerance: 1 })
  return {
    overflow: inspection.overflow,
    smallest: Math.min(...inspection.smallestText.filter(text => text.kind !== 'diagram').map(text => text.px)),
  }
}

beforeAll(async () => {
  chromiumPath = (await findLocalChromium()).path
  mkdirSync(screenshots, { recursive: true })
})

describe('npm run present on the fixture deck', () => {
  let present: PresentServer | undefined
  let origin: string
  let browser: Browser
  const home = mkdtempSync(join(tmpdir(), 'present-home-'))

  beforeAll(async () => {
    // What npm run stage leaves: the talk cluster (the stand-in kind's, with its node
    // container's ID) recorded with that ID, its kubeconfig, the staged step and its output.
    rmSync(talkPaths(fixture).dir, { recursive: true, force: true })
    const nodeId = 'c'.repeat(64)
    mkdirSync(join(home, 'stand-in-clusters'))
    writeFileSync(join(home, 'stand-in-clusters', 'startup-present'), nodeId)
    writeFileAtomically(talkPaths(fixture).kubeconfig('startup-present'), 'apiVersion: v1\nkind: Config\n')
    writeTalkState(fixture, {
      clusters: {
        'startup-present': {
          createdAt: stagedAt.toISOString(),
          nodeId,
          preloaded: stagedAt.toISOString(),
        },
      },
      staged: {
        'demo/01-create-cluster': {
          finishedAt: stagedAt.toISOString(),
        },
      },
    })
    keepOutput(fixture, 'demo/01-create-cluster', 'Creating cluster "startup-present" ...\n', stagedAt)

    present = await startPresent('test/fixtures/present/slides.md', {
      env: { FORCE_COLOR: '0', PATH: `${standIns}:${process.env.PATH}`, HOME: home },
    })
    origin = present.origin
    browser = await chromium.launch({ executablePath: chromiumPath, args: HEADLESS_CHROMIUM_ARGS })
  })

  afterAll(async () => {
    await browser?.close()
    await present?.stop()
    rmSync(talkPaths(fixture).dir, { recursive: true, force: true })
    rmSync(home, { recursive: true, force: true })
  })

  // Each run first checks the cluster (state.json, the node container's ID, its kubeconfig from
  // kind): under load that alone can take longer than expect.poll's default second.
  const RUN = { timeout: 15_000 }

  it('runs a step from the slide by keyboard, streams it and marks it, in the presenter view too', { timeout: 60_000 }, async () => {
    const { page: audience, errors: audienceErrors } = await openPage(browser, 'light')
    const { page: presenter, errors: presenterErrors } = await openPage(browser, 'light')
    await audience.goto(`${origin}/1`, { waitUntil: 'load' })
    await presenter.goto(`${origin}/presenter/1`, { waitUntil: 'load' })
    expect(await audience.locator('meta[name="live-steps-token"]').getAttribute('content')).toMatch(/^[\w-]{43}$/)

    // The staged step offers no run: it shows when it was staged.
    const clock = `${String(stagedAt.getHours()).padStart(2, '0')}:${String(stagedAt.getMinutes()).padStart(2, '0')}`
    await expect.poll(() => terminal(audience, 'demo/01-create-cluster').locator('.snippet-run__badge').textContent()).toBe(`staged ${clock}`)
    expect(await terminal(audience, 'demo/01-create-cluster').locator('button').count()).toBe(0)

    // Tab to the run control of 03-containers; Enter runs it, and the slide stays where it is.
    const button = terminal(audience, 'demo/03-containers').locator('button.snippet-run__run')
    expect(await tabTo(audience, button), 'Tab reaches the run control').toBe(true)
    expect(await button.evaluate(element => getComputedStyle(element).outlineStyle)).toBe('solid')
    await audience.keyboard.press('Enter')
    for (const page of [audience, presenter])
      await expect.poll(() => terminal(page, 'demo/03-containers').locator('.snippet-run__mark').textContent(), RUN).toBe('✓ matches expected')
    expect(await terminal(audience, 'demo/03-containers').locator('code .line').last().textContent()).toBe('linkerd-init,linkerd-proxy   server')
    // While the control has the focus, the arrow keys, PageDown and Space do not turn the slide
    // (Space presses the button: the step runs again); Esc gives them back.
    const firstRun = await terminal(audience, 'demo/03-containers').locator('.snippet-run__badge').textContent()
    await audience.keyboard.press('ArrowRight')
    await audience.keyboard.press('PageDown')
    await audience.keyboard.press('Space')
    await expect.poll(() => terminal(presenter, 'demo/03-containers').locator('.snippet-run__mark').textContent(), RUN).toBe('✓ matches expected')
    await delay(300)
    expect(path(audience)).toBe('/1')
    expect(firstRun).toMatch(/^real output, \d\d:\d\d$/)

    // The presenter runs the next one with the mouse from the presenter window.
    await terminal(presenter, 'demo/04-pods').locator('button.snippet-run__run').first().click()
    for (const page of [audience, presenter]) {
      await expect.poll(() => terminal(page, 'demo/04-pods').locator('.snippet-run__mark').textContent(), RUN).toBe('✗ differs from expected')
      expect(await terminal(page, 'demo/04-pods').locator('.snippet-run-diff__lines > *').allTextContents()).toEqual([
        'expected',
        'server-‹hash›   2/2     Running   0          ‹age›',
        'actual',
        'server-7d9c5b8f6-x2x9q   1/2     Running   3 (12s ago)   48s',
      ])
    }
    // Legible from the back of the room, and nothing spills off the slide.
    expect(await legibility(audience, 1)).toEqual({
      overflow: [],
      smallest: expect.any(Number),
    })
    expect((await legibility(audience, 1)).smallest).toBeGreaterThanOrEqual(12)
    await audience.locator('#slide-content').screenshot({
      path: join(screenshots, 'hands-on-light.png'),
    })

    await audience.keyboard.press('Escape')
    await audience.keyboard.press('ArrowRight')
    await audience.waitForURL(url => url.pathname === '/2')
    expect(audienceErrors).toEqual([])
    expect(presenterErrors).toEqual([])
  })

  it('kills a hanging step at its timeout, says so, and keeps the expected output labelled', { timeout: 60_000 }, async () => {
    const { page, errors } = await openPage(browser, 'dark')
    await page.goto(`${origin}/2`, { waitUntil: 'load' })
    // Before any run: the recorded live output, with its date.
    const labels = terminal(page, 'demo/06-labels').last()
    await expect.poll(() => labels.locator('.snippet-run__badge').textContent()).toBe('recorded live 2026-11-20 · kind v1.35.0 · Linkerd edge-26.6.3')

    const started = Date.now()
    await terminal(page, 'demo/05-wait-job').locator('button.snippet-run__run').click()
    const job = terminal(page, 'demo/05-wait-job')
    await expect.poll(() => job.locator('.snippet-run__mark').textContent(), { timeout: 10_000 }).toBe('✗ timed out after 1s')
    expect(Date.now() - started).toBeLessThan(8000)
    expect(await job.locator('.snippet-run__badge').textContent()).toBe('expected')
    expect(await job.locator('code .line').last().textContent()).toBe('job.batch/job-classic condition met')
    expect(await job.locator('.snippet-run-diff__line').allTextContents()).toEqual(['waiting for job/job-classic to complete'])

    // The command half runs the step; the output half on the same slide shows it.
    await terminal(page, 'demo/06-labels').first().locator('button.snippet-run__run').click()
    await expect.poll(() => labels.locator('.snippet-run__mark').textContent(), RUN).toBe('✓ matches expected')
    expect(await labels.locator('.snippet-run__badge').textContent()).toMatch(/^real output, \d\d:\d\d$/)
    expect((await legibility(page, 2)).smallest).toBeGreaterThanOrEqual(12)
    await page.locator('#slide-content').screenshot({
      path: join(screenshots, 'broken-step-dark.png'),
    })

    // The first slide's runs, as a late window sees them, in dark.
    await page.goto(`${origin}/1`, { waitUntil: 'load' })
    await expect.poll(() => terminal(page, 'demo/04-pods').locator('.snippet-run__mark').textContent()).toBe('✗ differs from expected')
    await page.locator('#slide-content').screenshot({
      path: join(screenshots, 'hands-on-dark.png'),
    })
    expect(errors).toEqual([])
  })
})

describe('the built deck (npm run build), even with SLIDEV_LIVE_STEPS=1 set', () => {
  let dist: string
  let server: StaticServer
  let browser: Browser

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'present-build-'))
    await execa('slidev', ['build', 'slides.md', '--out', dist], {
      cwd: fixture,
      preferLocal: true,
      localDir: repo,
      env: { FORCE_COLOR: '0', SLIDEV_LIVE_STEPS: '1' },
    })
    server = await serveStatic(dist)
    browser = await chromium.launch({ executablePath: chromiumPath, args: HEADLESS_CHROMIUM_ARGS })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    rmSync(dist, { recursive: true, force: true })
  })

  it('has no token and no run control', async () => {
    expect(readFileSync(join(dist, 'index.html'), 'utf8')).not.toContain('live-steps-token')
    const { page } = await openPage(browser, 'light')
    await page.goto(`${server.origin}/1`, { waitUntil: 'load' })
    await terminal(page, 'demo/03-containers').waitFor()
    expect(await page.locator('meta[name="live-steps-token"]').count()).toBe(0)
    expect(await page.locator('.snippet-run button, .snippet-run-verdict').count()).toBe(0)
    expect(await terminal(page, 'demo/03-containers').locator('.snippet-run__badge').textContent()).toBe('not yet verified live')
    expect(await (await fetch(`${server.origin}/__live-steps/events`)).headers.get('content-type')).not.toContain('text/event-stream')
  })
})
