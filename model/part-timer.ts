// The talk's plan as presenter mode and the pacing check both read it: the hour is cut into
// parts, each opened by a slide with a `budget:` (minutes) in its frontmatter (the cover, which
// opens the talk, and each `layout: section` slide), and each part runs to the next one. A
// section with `appendix: true` opens the appendix: it and every slide after it are outside the
// hour. From Slidev's presenter timer, the current part's time left is its planned end (the
// budgets up to and including it) minus the time the talk has taken.

/** A slide as the plan needs it: Slidev's route (`no`, title, frontmatter) or the deck reader's. */
export interface PlanSlide {
  no: number
  title: string
  frontmatter: Record<string, unknown>
}

export interface TimedPart<S extends PlanSlide = PlanSlide> {
  /** The slide that carries the budget. */
  opener: S
  /** `part:` from the opener's frontmatter; none for the cover, which opens the talk. */
  part?: number
  title: string
  budgetMinutes: number
  /** Minutes into the talk at which the part is planned to start and to end. */
  startMinute: number
  endMinute: number
  /** The opener and every slide up to the next part or the appendix. */
  slides: S[]
}

export interface TalkPlan<S extends PlanSlide = PlanSlide> {
  parts: TimedPart<S>[]
  /** Slides before the first budget: in no part. */
  unplanned: S[]
  /** The first appendix section, if any; it and every slide after it are `appendix`. */
  appendixOpener?: S
  appendix: S[]
}

/** A `layout: section` slide with `appendix: true`: the appendix starts here. */
export function opensAppendix(frontmatter: Record<string, unknown>): boolean {
  return frontmatter.layout === 'section' && frontmatter.appendix === true
}

/** The title a part is known by: the cover's budget covers the opening, so it is the "Opening". */
function partTitle(slide: PlanSlide, index: number): string {
  return index === 0 && slide.no === 1 && slide.frontmatter.part === undefined ? 'Opening' : slide.title
}

/** Cuts the slides into timed parts and the appendix. Budgets are taken as given; the deck check validates them. */
export function talkPlan<S extends PlanSlide>(slides: readonly S[]): TalkPlan<S> {
  const appendixIndex = slides.findIndex(slide => opensAppendix(slide.frontmatter))
  const timed = appendixIndex < 0 ? slides : slides.slice(0, appendixIndex)
  const plan: TalkPlan<S> = {
    parts: [],
    unplanned: [],
    appendix: appendixIndex < 0 ? [] : slides.slice(appendixIndex),
  }
  if (appendixIndex >= 0)
    plan.appendixOpener = slides[appendixIndex]!
  let minute = 0
  for (const slide of timed) {
    if (slide.frontmatter.budget !== undefined) {
      const budgetMinutes = Number(slide.frontmatter.budget)
      const part: TimedPart<S> = {
        opener: slide,
        title: partTitle(slide, plan.parts.length),
        budgetMinutes,
        startMinute: minute,
        endMinute: minute + budgetMinutes,
        slides: [slide],
      }
      const number = Number(slide.frontmatter.part)
      if (slide.frontmatter.part !== undefined && Number.isFinite(number))
        part.part = number
      plan.parts.push(part)
      minute = part.endMinute
    }
    else if (plan.parts.length) {
      plan.parts.at(-1)!.slides.push(slide)
    }
    else {
      plan.unplanned.push(slide)
    }
  }
  return plan
}

/** Slidev's shared timer state (`sharedState.timer`): times are `Date.now()` milliseconds. */
export interface PresenterTimer {
  status: 'stopped' | 'running' | 'paused'
  startedAt: number
  pausedAt: number
}

/** Seconds the talk has taken by Slidev's presenter timer, as its own display counts them; undefined while it is stopped. */
export function elapsedSeconds(timer: PresenterTimer, now: number): number | undefined {
  if (timer.status === 'stopped' || !timer.startedAt)
    return undefined
  const ms = timer.status === 'paused' ? timer.pausedAt - timer.startedAt : now - timer.startedAt
  return Math.max(0, ms) / 1000
}

/** `m:ss` (or `h:mm:ss`), whole seconds rounded down, sign dropped. */
export function clockText(seconds: number): string {
  const whole = Math.floor(Math.abs(seconds))
  const h = Math.floor(whole / 3600)
  const m = Math.floor(whole % 3600 / 60)
  const s = String(whole % 60).padStart(2, '0')
  return h
    ? `${h}:${String(m).padStart(2, '0')}:${s}`
    : `${m}:${s}`
}

/** Under this many seconds left in a part, the presenter should start wrapping it up. */
export const WARN_SECONDS = 60

/**
 * - `waiting`: the timer has not been started, so the part's planned end is shown instead;
 * - `ok`, `amber` (under a minute left), `red` (past the part's planned end);
 * - `appendix`: outside the hour.
 */
export type ClockState = 'waiting' | 'ok' | 'amber' | 'red' | 'appendix'

export interface PartClock {
  state: ClockState
  /** "Part 7 · Hands-on on kind · 18 min", or "Appendix". */
  label: string
  /** "4:12 left", "1:05 over", "until 48:00", or "not timed". */
  time: string
  /** Seconds to the part's planned end; negative when over; undefined while waiting or in the appendix. */
  leftSeconds?: number
  part?: TimedPart
}

function minutesText(minutes: number): string {
  return `${Number(minutes.toFixed(2))} min`
}

/** What presenter mode shows on slide `slideNo`, `elapsed` seconds into the talk; undefined on a slide in no part. */
export function partClock(plan: TalkPlan, slideNo: number, elapsed: number | undefined): PartClock | undefined {
  if (plan.appendix.some(slide => slide.no === slideNo)) {
    return {
      state: 'appendix',
      label: 'Appendix',
      time: 'not timed',
    }
  }
  const part = plan.parts.find(candidate => candidate.slides.some(slide => slide.no === slideNo))
  if (!part)
    return undefined
  const label = [
    part.part === undefined ? '' : `Part ${part.part}`,
    part.title,
    minutesText(part.budgetMinutes),
  ].filter(Boolean).join(' · ')
  if (elapsed === undefined) {
    return {
      state: 'waiting',
      label,
      time: `until ${clockText(part.endMinute * 60)}`,
      part,
    }
  }
  const leftSeconds = part.endMinute * 60 - elapsed
  const state: ClockState = leftSeconds < 0 ? 'red' : leftSeconds < WARN_SECONDS ? 'amber' : 'ok'
  return {
    state,
    label,
    time: leftSeconds < 0
      ? `${clockText(Math.ceil(-leftSeconds))} over`
      : `${clockText(leftSeconds)} left`,
    leftSeconds,
    part,
  }
}
