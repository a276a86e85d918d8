import type { DeckMeasurement } from './result'
import { join } from 'node:path'
import { readDeck } from '../core/deck-source'
import { firstSlide, launchBrowser, stepThrough, withServedDeck } from './browser'
import { folderBytes, timedBuild } from './build'
import { timedExport } from './export'

export interface RunCounts {
  build: number
  firstSlide: number
  navigation: number
  export: number
}

export interface MeasureOptions {
  name: string
  entry: string
  chromiumPath: string
  /** Where the builds go (one folder, rebuilt each run). */
  outDir: string
  runs: RunCounts
  log: (line: string) => void
  stepTimeoutMs?: number
}

/** Every figure of one deck, each repeated as often as `runs` says. */
export async function measureDeck(options: MeasureOptions): Promise<DeckMeasurement> {
  const { name, entry, log, runs } = options
  const deck = await readDeck(entry)
  const slides = deck.slides.map(slide => ({
    no: slide.no,
    title: slide.title,
    alias: typeof slide.frontmatter.routeAlias === 'string' ? slide.frontmatter.routeAlias : undefined,
  }))
  const dist = join(options.outDir, name)
  const buildSeconds: number[] = []
  for (let run = 1; run <= runs.build; run++) {
    const { seconds } = await timedBuild(entry, dist)
    buildSeconds.push(seconds)
    log(`${name}: build ${run}/${runs.build}: ${seconds.toFixed(2)} s`)
  }
  const distBytes = await folderBytes(dist)
  const offline = new Set<string>()
  const browser = await launchBrowser(options.chromiumPath)
  const measured = await withServedDeck(dist, async (origin) => {
    const firstSlideMs: number[] = []
    const jsBytesBeforeFirstSlide: number[] = []
    for (let run = 1; run <= runs.firstSlide; run++) {
      const first = await firstSlide(browser, origin, options, offline)
      firstSlideMs.push(first.ms)
      jsBytesBeforeFirstSlide.push(first.jsBytes)
      log(`${name}: first slide ${run}/${runs.firstSlide}: ${first.ms.toFixed(0)} ms, ${first.jsBytes} JS bytes`)
    }
    const navigation = []
    for (let run = 1; run <= runs.navigation; run++) {
      const steps = await stepThrough(browser, origin, slides, options, offline)
      navigation.push(steps)
      const sorted = steps.map(step => step.ms).sort((a, b) => a - b)
      log(`${name}: navigation ${run}/${runs.navigation}: ${steps.length} steps, slowest ${sorted.at(-1)?.toFixed(0)} ms`)
    }
    return { firstSlideMs, jsBytesBeforeFirstSlide, navigation }
  }).finally(() => browser.close())
  const exportSeconds: number[] = []
  const pdfBytes: number[] = []
  let pdfPages = 0
  for (let run = 1; run <= runs.export; run++) {
    const pdf = await timedExport(entry, options.chromiumPath)
    exportSeconds.push(pdf.seconds)
    pdfBytes.push(pdf.bytes)
    pdfPages = pdf.pages
    log(`${name}: export ${run}/${runs.export}: ${pdf.seconds.toFixed(2)} s, ${pdf.pages} pages, ${pdf.bytes} bytes`)
  }
  return {
    name,
    entry,
    slides: deck.slides.length,
    buildSeconds,
    distBytes,
    ...measured,
    exportSeconds,
    pdfPages,
    pdfBytes,
    offlineRequests: [...offline].sort(),
  }
}
