/** What one bench run measures of one deck: raw values per repeated run, summarised by report.ts. */

/** One key press forward: arriving on a slide (click 0) or one click step on it. */
export interface StepTiming {
  slide: number
  title: string
  click: number
  /** Key press to the first frame painted with the new content ready. */
  ms: number
}

export interface DeckMeasurement {
  /** 'deck' (this project's) or 'starter' (create-slidev's template). */
  name: string
  entry: string
  /** Slides a presenter steps through (hidden slides excluded). */
  slides: number
  /** Seconds of each cold `slidev build`. */
  buildSeconds: number[]
  distBytes: number
  /** Per first-slide run: bytes of JavaScript loaded before the first slide was visible. */
  jsBytesBeforeFirstSlide: number[]
  /** Per run: navigation start to the first slide's content painted. */
  firstSlideMs: number[]
  /** Per run: every step forward through the whole deck. */
  navigation: StepTiming[][]
  /** Seconds of each `slidev export` to PDF. */
  exportSeconds: number[]
  pdfPages: number
  pdfBytes: number[]
  /** Requests for anything off this machine, refused so that both decks run offline. */
  offlineRequests: string[]
}

export interface BenchResult {
  date: string
  machine: {
    cpus: string
    cores: number
    memoryGiB: number
    os: string
    node: string
    chromium: string
  }
  slidev: string
  starterVersion: string
  /** What was changed in the starter so that it runs offline. */
  starterChanges: string[]
  runs: {
    build: number
    firstSlide: number
    navigation: number
    export: number
  }
  deck: DeckMeasurement
  starter: DeckMeasurement
}
