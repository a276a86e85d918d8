import type { BenchResult, DeckMeasurement, StepTiming } from './result'
import type { Spread } from './stats'
import { percentile, ratio, spread } from './stats'

/** The targets the issue sets this deck. */
export const TARGETS = {
  navigationP95Ms: 50,
  firstSlideRatio: 1.5,
  exportSecondsPerPageRatio: 0.5,
  pdfBytesPerPageRatio: 0.5,
}

export interface SlowStep {
  slide: number
  title: string
  click: number
  /** The step's timing in each run. */
  spread: Spread
  /** Its 95th percentile over the runs. */
  p95Ms: number
}

function stepKey(step: Pick<StepTiming, 'slide' | 'click'>): string {
  return `${step.slide}:${step.click}`
}

/** Each step's timings over the runs, slowest (by p95 over the runs, then median) first. */
export function slowestSteps(runs: readonly StepTiming[][], count: number): SlowStep[] {
  const byStep = new Map<string, { step: StepTiming, values: number[] }>()
  for (const run of runs) {
    for (const step of run) {
      const entry = byStep.get(stepKey(step)) ?? { step, values: [] }
      entry.values.push(step.ms)
      byStep.set(stepKey(step), entry)
    }
  }
  return [...byStep.values()]
    .map(({ step, values }) => ({
      slide: step.slide,
      title: step.title,
      click: step.click,
      spread: spread(values),
      p95Ms: percentile(values, 95),
    }))
    .sort((a, b) => b.p95Ms - a.p95Ms || b.spread.median - a.spread.median || a.slide - b.slide || a.click - b.click)
    .slice(0, count)
}

/** "slide 7 (A Pod's containers share one netns), click 2" - click 0 is arriving on the slide. */
export function nameStep(step: Pick<StepTiming, 'slide' | 'title' | 'click'>): string {
  const title = step.title ? ` (${step.title})` : ''
  return step.click === 0
    ? `slide ${step.slide}${title}, arriving`
    : `slide ${step.slide}${title}, click ${step.click}`
}

export interface NavigationFigures {
  /** Each run's median and p95 over all its steps. */
  medianMs: Spread
  p95Ms: Spread
  /** All runs' steps pooled. */
  pooledP95Ms: number
  worstMs: number
  steps: number
  /** The slowest step's p95 over the runs: the target holds when even this is under it. */
  slowestStepP95Ms: number
  /** Steps whose p95 over the runs is at or over the target. */
  stepsOverTarget: number
}

export function navigationFigures(runs: readonly StepTiming[][]): NavigationFigures {
  const perRun = runs.filter(run => run.length > 0)
  if (perRun.length === 0)
    throw new RangeError('no navigation steps were measured')
  const pooled = perRun.flat().map(step => step.ms)
  const bySteps = slowestSteps(perRun, Number.POSITIVE_INFINITY)
  return {
    slowestStepP95Ms: bySteps[0]!.p95Ms,
    stepsOverTarget: bySteps.filter(step => step.p95Ms >= TARGETS.navigationP95Ms).length,
    medianMs: spread(perRun.map(run => percentile(run.map(step => step.ms), 50))),
    p95Ms: spread(perRun.map(run => percentile(run.map(step => step.ms), 95))),
    pooledP95Ms: percentile(pooled, 95),
    worstMs: Math.max(...pooled),
    steps: perRun[0]!.length,
  }
}

export interface Row {
  figure: string
  deck: Spread
  starter: Spread
  unit: 's' | 'ms' | 'B'
  /** deck / starter, on medians. */
  ratio: number | undefined
  target?: { text: string, met: boolean }
}

function perSlide(values: readonly number[], slides: number): number[] {
  return values.map(value => value / slides)
}

function single(value: number): Spread {
  return spread([value])
}

function row(figure: string, unit: Row['unit'], deck: Spread, starter: Spread, target?: (ratio: number | undefined, deck: Spread) => Row['target']): Row {
  const r = ratio(deck.median, starter.median)
  return {
    figure,
    unit,
    deck,
    starter,
    ratio: r,
    target: target?.(r, deck),
  }
}

/** Every figure of both decks, absolute and as a ratio against the starter, with the targets checked. */
export function rows(result: Pick<BenchResult, 'deck' | 'starter'>): Row[] {
  const { deck, starter } = result
  const both = <T>(pick: (m: DeckMeasurement) => T): [T, T] => [pick(deck), pick(starter)]
  const [deckNav, starterNav] = both(m => navigationFigures(m.navigation))
  return [
    row('cold build', 's', ...both(m => spread(m.buildSeconds))),
    row('cold build per slide', 'ms', ...both(m => spread(perSlide(m.buildSeconds, m.slides).map(s => s * 1000)))),
    row('dist/ bytes', 'B', ...both(m => single(m.distBytes))),
    row('dist/ bytes per slide', 'B', ...both(m => single(m.distBytes / m.slides))),
    row('JS bytes before first slide visible', 'B', ...both(m => spread(m.jsBytesBeforeFirstSlide))),
    row('first slide visible', 'ms', ...both(m => spread(m.firstSlideMs)), r => ({
      text: `<= ${TARGETS.firstSlideRatio}x starter`,
      met: r !== undefined && r <= TARGETS.firstSlideRatio,
    })),
    row('navigation step, median', 'ms', deckNav.medianMs, starterNav.medianMs),
    row('navigation step, p95 of all steps', 'ms', deckNav.p95Ms, starterNav.p95Ms),
    row('navigation, slowest step\'s p95 over runs', 'ms', single(deckNav.slowestStepP95Ms), single(starterNav.slowestStepP95Ms), () => ({
      text: `< ${TARGETS.navigationP95Ms} ms on every step (${deckNav.stepsOverTarget} of ${deckNav.steps} over)`,
      met: deckNav.stepsOverTarget === 0,
    })),
    row('navigation, slowest single step', 'ms', single(deckNav.worstMs), single(starterNav.worstMs)),
    row('PDF export per page', 's', ...both(m => spread(perSlide(m.exportSeconds, m.pdfPages))), r => ({
      text: `<= ${TARGETS.exportSecondsPerPageRatio}x starter`,
      met: r !== undefined && r <= TARGETS.exportSecondsPerPageRatio,
    })),
    row('PDF bytes per page', 'B', ...both(m => spread(perSlide(m.pdfBytes, m.pdfPages))), r => ({
      text: `<= ${TARGETS.pdfBytesPerPageRatio}x starter`,
      met: r !== undefined && r <= TARGETS.pdfBytesPerPageRatio,
    })),
  ]
}

export function formatValue(value: number, unit: Row['unit']): string {
  if (unit === 'B') {
    if (value >= 1024 * 1024)
      return `${(value / 1024 / 1024).toFixed(1)} MiB`
    if (value >= 1024)
      return `${(value / 1024).toFixed(1)} KiB`
    return `${Math.round(value)} B`
  }
  if (unit === 's')
    return `${value.toFixed(2)} s`
  return `${value.toFixed(value < 10 ? 1 : 0)} ms`
}

/** "43.0 ms (40.1-47.9, n=3)"; a single value is shown alone. */
export function formatSpread(value: Spread, unit: Row['unit']): string {
  if (value.n === 1 || value.min === value.max)
    return formatValue(value.median, unit)
  return `${formatValue(value.median, unit)} (${formatValue(value.min, unit)}-${formatValue(value.max, unit)}, n=${value.n})`
}

/** A Markdown table with its columns padded to line up in a terminal. */
function pad(cells: string[][]): string[] {
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map(line => line[column]!.length)))
  const line = (row: string[]): string => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`
  return [
    line(cells[0]!),
    `|${widths.map(width => '-'.repeat(width + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ]
}

/** The Markdown table the bench prints (and the README quotes), then the slowest steps, named. */
export function renderTable(result: Pick<BenchResult, 'deck' | 'starter'>, slowest = 5): string {
  const header = [
    'figure',
    `this deck (${result.deck.slides} slides)`,
    `starter (${result.starter.slides} slides)`,
    'ratio',
    'target',
  ]
  const body = rows(result).map(r => [
    r.figure,
    formatSpread(r.deck, r.unit),
    formatSpread(r.starter, r.unit),
    r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}x`,
    r.target ? `${r.target.text}: ${r.target.met ? 'met' : 'MISSED'}` : '',
  ])
  const lines = pad([header, ...body])
  const slow = (m: DeckMeasurement): string[] => slowestSteps(m.navigation, slowest)
    .map(step => `  p95 ${formatValue(step.p95Ms, 'ms')}, median ${formatSpread(step.spread, 'ms')}: ${nameStep(step)}`)
  return [
    ...lines,
    '',
    `Slowest steps, this deck (p95 and median over the runs):`,
    ...slow(result.deck),
    `Slowest steps, starter:`,
    ...slow(result.starter),
  ].join('\n')
}
