import type { Browser, ConsoleMessage, Page } from 'playwright-chromium'
import type { Deck, DeckSlide } from '../../../scripts/core/deck-source'
import type { TextDensity } from '../../../scripts/deck/text-density'
import type { ColorScheme } from './pages'
import type { SlideInspection, TextKind } from './slide-inspector'
import { chromium } from 'playwright-chromium'
import { talkPlan } from '../../../model/part-timer'
import { HEADLESS_CHROMIUM_ARGS } from '../../../scripts/core/chromium'
import { describeSlide } from '../../../scripts/core/deck-source'
import { settle, stateOf, stepThrough, watchRequests } from '../../../scripts/core/deck-walk'
import { comparableText, countMermaidBlocks } from '../../../scripts/core/markdown'
import { serveStatic } from '../../../scripts/core/serve'
import { textDensity } from '../../../scripts/deck/text-density'
import { openPage } from './pages'
import { inspectSlide } from './slide-inspector'

export const GATE_NAMES = [
  'console',
  'request',
  'overflow',
  'mermaid',
  'image',
  'notes',
  'legibility',
] as const
export type GateName = typeof GATE_NAMES[number]

/**
 * The smallest text a slide may show, in pixels of the 980px-wide canvas (after Slidev's zoom
 * and mermaid's scale). 12px is Slidev's own code size; diagrams must be read from the back of
 * the room at a glance, so they get 14px.
 */
export const SMALLEST_LEGIBLE_PX: Record<TextKind, number> = { prose: 12, code: 12, diagram: 14 }

/**
 * Density: the most of the 980×552 canvas a slide's text may cover (the union of its line
 * boxes, prose, code and diagram labels alike), and the most rendered lines of prose it may
 * show, at any click step. What counts as what is defined in text-density.ts.
 *
 * Chosen by measuring all 75 slides of the deck at every click step (issue 13, at 9993a9e) and
 * looking at each. The clean, one-idea slides (a diagram and a few bullets, one terminal and a
 * sentence, a table and a caption, a section title) cover 4-25% and show 1-19 lines. A raw
 * iptables dump covers 28-33%, four or five terminals side by side 25-31%, a page of long
 * full-size bullets 26-29%; two or four columns of bullets show 21-25 lines, and no slide
 * shows 20. Coverage has no clean gap, so its limit is the round number between the groups;
 * the lines' limit sits in the gap. A table row counts as its tallest cell, so an overview
 * table passes on lines and is held by its coverage.
 */
export const MAX_TEXT_COVERAGE = 0.25
export const MAX_PROSE_LINES = 20

export interface GateFailure {
  gate: GateName
  slide: Pick<DeckSlide, 'no' | 'title' | 'file' | 'line'>
  clicks: number
  scheme: ColorScheme
  detail: string
}

export interface VisitedState {
  no: number
  clicks: number
  scheme: ColorScheme
  /** How much text the slide showed at this click step. */
  density?: TextDensity
}

export interface GateRun {
  visited: VisitedState[]
  failures: GateFailure[]
}

export interface BrowserGateOptions {
  /** A built deck to serve on 127.0.0.1, or the origin of a deck already served there. */
  target: { distDir: string } | { origin: string }
  deck: Deck
  chromiumPath: string
  schemes?: ColorScheme[]
  /**
   * Per-slide passes (console-error isolation, presenter notes) run in the first scheme only:
   * neither depends on light or dark, and they cost a page load per slide each.
   * `false` skips them, for a quick walk such as the dev-server check.
   */
  perSlidePasses?: boolean
  /** How long a slide may take to draw its diagrams and images. */

  settleTimeoutMs?: number
}

export function formatFailure(failure: GateFailure): string {
  const clicks = failure.clicks ? ` at click ${failure.clicks}` : ''
  return `[${failure.gate}] ${describeSlide(failure.slide)}${clicks} (${failure.scheme}): ${failure.detail}`
}

/** The slide whose source names `url` (or its path), so a preloaded neighbour gets the blame it earned. */
function slideReferencing(deck: Deck, url: string): DeckSlide | undefined {
  let path = url
  try {
    const parsed = new URL(url)
    path = parsed.hostname === '127.0.0.1' ? decodeURI(parsed.pathname) : url
  }
  catch {}
  if (path === '/' || path === '')
    return undefined
  return deck.slides.find(slide => slide.sourceLines.some(line => line.includes(path)))
}

/** A slide's densest click step by each measure, reported once per slide rather than per step. */
export interface DensestState {
  coverage: { value: number, clicks: number }
  proseLines: { value: number, clicks: number }
}

/**
 * A reference page in the appendix (the cheat sheet, the references) is read on paper, not from
 * the back of the room: `density: reference` in its frontmatter lifts the density limits for it,
 * and for no slide before the appendix.
 */
export function densityExemption(slide: Pick<DeckSlide, 'frontmatter'>, inAppendix: boolean): 'exempt' | 'checked' | string {
  const value = slide.frontmatter.density
  if (value === undefined)
    return 'checked'
  if (value !== 'reference')
    return `density: ${String(value)} is not a setting: the only one is "density: reference", for a reference page in the appendix`
  return inAppendix
    ? 'exempt'
    : 'density: reference is for reference pages in the appendix; a slide in the talk must be readable from the back of the room'
}

/** The density check of the legibility gate: each measure over its limit, at the step where it peaked. */
export function densityFailures(densest: DensestState): Array<Pick<GateFailure, 'gate' | 'detail' | 'clicks'>> {
  const failures: Array<Pick<GateFailure, 'gate' | 'detail' | 'clicks'>> = []
  const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`
  if (densest.coverage.value > MAX_TEXT_COVERAGE)
    failures.push({ gate: 'legibility', clicks: densest.coverage.clicks, detail: `too dense: text covers ${percent(densest.coverage.value)} of the canvas, over the ${percent(MAX_TEXT_COVERAGE)} maximum` })
  if (densest.proseLines.value > MAX_PROSE_LINES)
    failures.push({ gate: 'legibility', clicks: densest.proseLines.clicks, detail: `too dense: ${densest.proseLines.value} lines of prose, over the ${MAX_PROSE_LINES}-line maximum` })
  return failures
}

function inspectionFailures(slide: DeckSlide, inspection: SlideInspection): Array<Pick<GateFailure, 'gate' | 'detail'>> {
  const expected = countMermaidBlocks(slide.content)
  const failures: Array<Pick<GateFailure, 'gate' | 'detail'>> = [
    ...inspection.overflow.map(detail => ({ gate: 'overflow' as const, detail })),
    ...inspection.mermaidErrors.map(detail => ({ gate: 'mermaid' as const, detail })),
    ...inspection.brokenImages.map(src => ({ gate: 'image' as const, detail: `image did not load: ${src}` })),
    ...inspection.smallestText
      .filter(text => text.px < SMALLEST_LEGIBLE_PX[text.kind])
      .map(text => ({ gate: 'legibility' as const, detail: `${text.kind} text at ${text.px}px, under the ${SMALLEST_LEGIBLE_PX[text.kind]}px minimum: "${text.sample}"` })),
  ]
  if (!inspection.mermaidErrors.length && inspection.mermaidRendered < expected)
    failures.push({ gate: 'mermaid', detail: `${expected} mermaid block(s) in the source, ${inspection.mermaidRendered} drawn` })
  return failures
}

/** Console noise that another gate already reports with better detail. */
function isReportedElsewhere(text: string): boolean {
  return text.startsWith('Failed to load resource')
}

/**
 * Slidev mounts the slides before and after the current one ahead of time, so an error
 * logged while slide N loads may come from N-1 or N+1. An error from slide K shows up when
 * K-1, K and K+1 are loaded: the middle of the run of loads that saw it is its slide.
 * Returns undefined when the loads don't form such a run (e.g. an error on every slide).
 */
export function slideFromNeighbourhood(loadsThatSawIt: number[], total: number): number | undefined {
  const loads = [...new Set(loadsThatSawIt)].sort((a, b) => a - b)
  const first = loads[0]
  const last = loads.at(-1)
  if (first === undefined || last === undefined || last - first + 1 !== loads.length)
    return undefined
  if (loads.length === 1)
    return first
  if (loads.length === 3)
    return first + 1
  if (loads.length === 2 && first === 1)
    return 1
  if (loads.length === 2 && last === total)
    return total
  return undefined
}

/**
 * Loads every slide on its own and works out which slide each console error belongs to.
 * Only called when the walk saw errors: a healthy deck pays nothing for it.
 */
async function isolateConsoleErrors(page: Page, origin: string, deck: Deck, options: Required<BrowserGateOptions>): Promise<Map<string, { slide: DeckSlide, note: string }>> {
  const seenAt = new Map<string, number[]>()
  let loading = 1
  const record = (detail: string): void => {
    seenAt.set(detail, [...(seenAt.get(detail) ?? []), loading])
  }
  const onConsole = (message: ConsoleMessage): void => {
    if (message.type() === 'error' && !isReportedElsewhere(message.text()))
      record(`console error: ${message.text().slice(0, 300)}`)
  }
  const onPageError = (error: Error): void => record(`page error: ${error.message.slice(0, 300)}`)
  page.on('console', onConsole)
  page.on('pageerror', onPageError)
  for (const slide of deck.slides) {
    loading = slide.no
    await page.goto(`${origin}/${slide.no}`, { waitUntil: 'load' })
    await settle(page, slide, options.settleTimeoutMs)
  }
  await page.goto('about:blank')
  page.off('console', onConsole)
  page.off('pageerror', onPageError)
  const located = new Map<string, { slide: DeckSlide, note: string }>()
  for (const [detail, loads] of seenAt) {
    const no = slideFromNeighbourhood(loads, deck.slides.length)
    located.set(detail, no
      ? { slide: deck.slides[no - 1]!, note: '' }
      : { slide: deck.slides[loads[0]! - 1]!, note: ` (logged while loading slides ${[
          ...new Set(loads),
        ].join(', ')}; the source could not be narrowed down)` })
  }
  return located
}

interface SeenError {
  detail: string
  state: { no: number, clicks: number }
}

async function newPage(browser: Browser, scheme: ColorScheme): Promise<Page> {
  return (await openPage(browser, scheme, { consoleErrors: false })).page
}

async function walkSlides(browser: Browser, origin: string, options: Required<BrowserGateOptions>, scheme: ColorScheme, run: GateRun, located: Map<string, { slide: DeckSlide, note: string }>): Promise<void> {
  const { deck } = options
  const page = await newPage(browser, scheme)
  let current = { no: 1, clicks: 0 }
  const slideAt = (no: number): DeckSlide => deck.slides[no - 1] ?? deck.slides.at(-1)!
  const fail = (gate: GateName, detail: string, slide = slideAt(current.no), state = current): void => {
    run.failures.push({
      gate,
      detail,
      scheme,
      clicks: slide.no === state.no ? state.clicks : 0,
      slide,
    })
  }

  watchRequests(page, (detail, url) => fail('request', detail, slideReferencing(deck, url)))
  const errors: SeenError[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' && !isReportedElsewhere(message.text()))
      errors.push({ detail: `console error: ${message.text().slice(0, 300)}`, state: current })
  })
  page.on('pageerror', error => errors.push({ detail: `page error: ${error.message.slice(0, 300)}`, state: current }))

  const densest = new Map<number, DensestState>()
  await page.goto(`${origin}/1`, { waitUntil: 'load' })
  await stepThrough(page, async (url) => {
    current = stateOf(url, deck)
    const slide = slideAt(current.no)
    await settle(page, slide, options.settleTimeoutMs)
    const inspection = await page.evaluate(inspectSlide, { slideNo: current.no, tolerance: 1 })
    const density = textDensity(inspection.textFragments, inspection.canvasSize)
    run.visited.push({ ...current, scheme, density })
    for (const failure of inspectionFailures(slide, inspection))
      fail(failure.gate, failure.detail)
    const worst = densest.get(current.no)
    densest.set(current.no, {
      coverage: worst && worst.coverage.value >= density.coverage
        ? worst.coverage
        : { value: density.coverage, clicks: current.clicks },
      proseLines: worst && worst.proseLines.value >= density.proseLines
        ? worst.proseLines
        : { value: density.proseLines, clicks: current.clicks },
    })
  })
  const appendix = new Set(talkPlan(deck.slides).appendix.map(slide => slide.no))
  for (const [no, worst] of densest) {
    const exemption = densityExemption(slideAt(no), appendix.has(no))
    if (exemption === 'exempt')
      continue
    if (exemption !== 'checked')
      fail('legibility', exemption, slideAt(no), { no, clicks: 0 })
    for (const failure of densityFailures(worst))
      fail(failure.gate, failure.detail, slideAt(no), { no, clicks: failure.clicks })
  }

  const perSlide = options.perSlidePasses && scheme === options.schemes[0]
  const unlocated = errors.filter(error => !located.has(error.detail))
  if (perSlide && unlocated.length) {
    for (const [detail, where] of await isolateConsoleErrors(page, origin, deck, options))
      located.set(detail, where)
  }
  const reported = new Set<string>()
  for (const error of errors) {
    const where = located.get(error.detail)
    if (where && !reported.has(error.detail))
      fail('console', `${error.detail}${where.note}`, where.slide, { no: where.slide.no, clicks: 0 })
    else if (!where)
      fail('console', error.detail, slideAt(error.state.no), error.state)
    reported.add(error.detail)
  }

  if (perSlide)
    await checkPresenterNotes(page, origin, deck, scheme, run)
  await page.context().close()
}

/** The first words of a slide's notes as presenter mode renders them (Markdown marks dropped). */
export function noteOpening(notes: string): string {
  return comparableText(notes.replace(/<[^>]+>/g, ' ').replace(/\([^)]*\)/g, ' ')).split(' ').slice(0, 4).join(' ')
}

/** Presenter mode on every slide, stepping through it as the presenter does: it must show each slide's notes. */
async function checkPresenterNotes(page: Page, origin: string, deck: Deck, scheme: ColorScheme, run: GateRun): Promise<void> {
  const checked = new Set<number>()
  await page.goto(`${origin}/presenter/1`, { waitUntil: 'load' })
  await stepThrough(page, async (url) => {
    const { no } = stateOf(url, deck)
    if (checked.has(no))
      return
    checked.add(no)
    const slide = deck.slides[no - 1]
    if (!slide)
      return
    // Wait for this slide's own notes (not the previous slide's, nor the "no notes" placeholder);
    // the dev server fetches them after the slide.
    const expected = noteOpening(slide.notes)
    const shown = expected !== '' && await page.waitForFunction(
      text => [...document.querySelectorAll('.slidev-note:not(.italic)')]
        .some(note => ` ${(note.textContent ?? '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `.includes(` ${text} `)),
      expected,
      { timeout: 3000, polling: 100 },
    ).then(() => true, () => false)
    if (!shown) {
      run.failures.push({
        gate: 'notes',
        scheme,
        clicks: 0,
        slide,
        detail: 'presenter mode shows no speaker notes for this slide',
      })
    }
  })
  for (const slide of deck.slides.filter(slide => !checked.has(slide.no))) {
    run.failures.push({
      gate: 'notes',
      scheme,
      clicks: 0,
      slide,
      detail: 'presenter mode never reached this slide',
    })
  }
}

/** Serves a built deck on 127.0.0.1 (or uses a running server) and walks every slide and click step in a real Chromium. */
export async function runBrowserGates(options: BrowserGateOptions): Promise<GateRun> {
  const resolved: Required<BrowserGateOptions> = {
    schemes: ['light', 'dark'],
    perSlidePasses: true,
    settleTimeoutMs: 10_000,

    ...options,
  }
  const target = resolved.target
  const server = 'distDir' in target
    ? await serveStatic(target.distDir)
    : {
        origin: target.origin,
        close: async () => {},
      }
  const browser = await chromium.launch({ executablePath: resolved.chromiumPath, args: HEADLESS_CHROMIUM_ARGS })
  const run: GateRun = { visited: [], failures: [] }
  const located = new Map<string, { slide: DeckSlide, note: string }>()

  try {
    for (const scheme of resolved.schemes)
      await walkSlides(browser, server.origin, resolved, scheme, run, located)
  }
  finally {
    await browser.close()
    await server.close()
  }
  return {
    ...run,
    failures: dedupe(run.failures),
  }
}

/** Preloading repeats a request or an error many times over; each is worth one line. */
function dedupe(failures: GateFailure[]): GateFailure[] {
  const seen = new Set<string>()
  return failures.filter((failure) => {
    const key = [failure.gate, failure.slide.no, failure.scheme, failure.detail].join('\u0000')
    if (seen.has(key))
      return false
    seen.add(key)
    return true
  })
}

/**
 * A quick offline check of a running deck: opens the first slide and presenter mode and lets
 * Slidev preload every slide (it does so 3 s after start), recording anything that would
 * need the network or fail. Used on the dev server, whose slides the built deck's walk covers.
 */
export async function probeOffline(origin: string, chromiumPath: string): Promise<string[]> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: HEADLESS_CHROMIUM_ARGS })
  const problems: string[] = []
  try {
    const page = await newPage(browser, 'light')
    watchRequests(page, detail => problems.push(detail))
    page.on('console', (message) => {
      if (message.type() === 'error')
        problems.push(`console error: ${message.text().slice(0, 300)}`)
    })
    page.on('pageerror', error => problems.push(`page error: ${error.message.slice(0, 300)}`))
    for (const path of ['/1', '/presenter/1']) {
      await page.goto(`${origin}${path}`, { waitUntil: 'load' })
      await page.waitForTimeout(4000)
      await page.waitForLoadState('networkidle')
    }
    const notes = await page.locator('.slidev-note:not(.italic)').count()
    if (notes === 0)
      problems.push('presenter mode shows no speaker notes on slide 1')
  }
  finally {
    await browser.close()
  }
  return problems
}
