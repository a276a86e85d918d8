import type { TimedPart } from '../../model/part-timer'
import type { Deck, DeckSlide } from '../core/deck-source'
import { opensAppendix, talkPlan } from '../../model/part-timer'
import { snippetRunSteps } from '../core/markdown'

// The timing plan, checked from the deck's source alone (no Node here: the on-stage time of the
// hands-on steps comes in as `StageRuns`, read from snippets/ by the caller).

export interface SectionBudget {
  title: string
  minutes: number
  slide: DeckSlide
}

/**
 * What pressing a shown step's run control costs on stage: the steps it runs (the hidden,
 * non-staged steps right before it, then the step itself), each with the seconds it takes
 * there (0 for a staged step, which `npm run stage` ran before the talk). Keyed by step id.
 */
export type StageRuns = ReadonlyMap<string, ReadonlyArray<{ id: string, seconds: number }>>

/** Narration and steps may fall short of a part's budget by this much, and no more. */
export const SLACK_MINUTES = 1
const EPSILON = 1e-6

/** Slidev's `duration` headmatter ("60min", "1h", or minutes as a number) in minutes. */
export function durationMinutes(value: unknown): number | undefined {
  if (typeof value === 'number')
    return value
  if (typeof value !== 'string')
    return undefined
  const match = value.trim().match(/^(\d+(?:\.\d+)?)\s*(h|min|m)?$/)
  if (!match)
    return undefined
  const amount = Number(match[1])
  return match[2] === 'h' ? amount * 60 : amount
}

/** Every slide before the appendix that carries a `budget:` (minutes): the cover and each part's section. */
export function sectionBudgets(deck: Pick<Deck, 'slides'>): SectionBudget[] {
  return talkPlan(deck.slides).parts.map(part => ({
    title: part.opener.title,
    minutes: part.budgetMinutes,
    slide: part.opener,
  }))
}

function at(slide: Pick<DeckSlide, 'file' | 'line'>): string {
  return `${slide.file}:${slide.line}`
}

/**
 * Problems with the timing plan: budgets are positive numbers of minutes and add up to the
 * session; every section has one, except the appendix, which is outside the hour and comes last;
 * and each part's slides plan what its budget says (see `pacingProblems`).
 */
export function timingProblems(deck: Deck, stageRuns: StageRuns): string[] {
  const problems: string[] = []
  const plan = talkPlan(deck.slides)
  for (const part of plan.parts) {
    if (!Number.isFinite(part.budgetMinutes) || part.budgetMinutes <= 0)
      problems.push(`${at(part.opener)}: budget must be a positive number of minutes`)
  }
  for (const slide of deck.slides) {
    const inAppendix = plan.appendix.includes(slide)
    if (slide.frontmatter.layout === 'section' && slide.frontmatter.budget === undefined && !inAppendix)
      problems.push(`${at(slide)}: section "${slide.title}" has no budget (minutes)`)
    if (inAppendix && opensAppendix(slide.frontmatter) && slide.frontmatter.budget !== undefined)
      problems.push(`${at(slide)}: the appendix "${slide.title}" is outside the hour: drop its budget (its slides' notes still say how long each takes)`)
    else if (inAppendix && slide.frontmatter.budget !== undefined)
      problems.push(`${at(slide)}: "${slide.title}" has a budget but comes after the appendix (${at(plan.appendixOpener!)}): the appendix goes last`)
  }
  const session = durationMinutes(deck.headmatter.duration)
  const total = plan.parts.reduce((sum, part) => sum + part.budgetMinutes, 0)
  if (session !== undefined && Math.abs(total - session) > EPSILON)
    problems.push(`${deck.entry}: section budgets add up to ${total} min, the session (duration) is ${session} min`)
  return [...problems, ...pacingProblems(deck.slides, stageRuns)]
}

/** The "(1.5 min)" a slide's notes end with: how long the presenter plans to spend on it. */
export function plannedMinutes(notes: string): number | undefined {
  const match = notes.trim().match(/\((\d+(?:\.\d+)?) min\)$/)
  return match ? Number(match[1]) : undefined
}

export interface PartPace {
  part: TimedPart<DeckSlide>
  /** The notes' "(N min)", added up. */
  narrationMinutes: number
  /** Every step the part's slides run on stage, each counted once, with its seconds. */
  steps: Array<{ id: string, seconds: number }>
  stepSeconds: number
  totalMinutes: number
}

/** The steps a slide's terminals run on stage, in the order they run. */
function stepsRunBy(slide: DeckSlide, stageRuns: StageRuns): Array<{ id: string, seconds: number }> {
  return snippetRunSteps(slide.content).flatMap(({ step }) => stageRuns.get(step) ?? [])
}

/** Each part's plan: its slides' narration plus the on-stage time of the steps they run. */
export function partPaces(slides: DeckSlide[], stageRuns: StageRuns): PartPace[] {
  return talkPlan(slides).parts.map((part) => {
    const narrationMinutes = part.slides.reduce((sum, slide) => sum + (plannedMinutes(slide.notes) ?? 0), 0)
    const steps = new Map<string, number>()
    for (const slide of part.slides) {
      for (const step of stepsRunBy(slide, stageRuns))
        steps.set(step.id, step.seconds)
    }
    const stepSeconds = [...steps.values()].reduce((sum, seconds) => sum + seconds, 0)
    return {
      part,
      narrationMinutes,
      steps: [...steps].map(([id, seconds]) => ({ id, seconds })),
      stepSeconds,
      totalMinutes: narrationMinutes + stepSeconds / 60,
    }
  })
}

function minutes(value: number): string {
  return String(Number(value.toFixed(2)))
}

/**
 * Each part plans, in its slides' notes and the steps they run on stage, what its budget says:
 * never more, and no more than `SLACK_MINUTES` less, so the plan stays honest. Every slide,
 * the appendix's included, says how long it takes.
 */
export function pacingProblems(slides: DeckSlide[], stageRuns: StageRuns): string[] {
  const untimed = slides
    .filter(slide => plannedMinutes(slide.notes) === undefined)
    .map(slide => `${at(slide)}: slide ${slide.no}'s notes do not end with its time, e.g. "(1 min)"`)
  const paces = partPaces(slides, stageRuns).flatMap(({ part, narrationMinutes, stepSeconds, totalMinutes }) => {
    const budget = part.budgetMinutes
    if (!Number.isFinite(budget))
      return []
    const plans = `part "${part.opener.title}" plans ${minutes(narrationMinutes)} min of narration + ${minutes(stepSeconds)} s of steps = ${minutes(totalMinutes)} min`
    if (totalMinutes > budget + EPSILON)
      return [`${at(part.opener)}: ${plans}, over its budget of ${minutes(budget)} min`]
    if (totalMinutes < budget - SLACK_MINUTES - EPSILON)
      return [`${at(part.opener)}: ${plans}, more than ${SLACK_MINUTES} min short of its budget of ${minutes(budget)} min: give its slides the time, or the budget to another part`]
    return []
  })
  return [...untimed, ...paces]
}

/** "3. How Linkerd joins the life cycle · 6 min" lines of an agenda slide. */
export function agendaEntries(content: string): Array<{ title: string, minutes: number }> {
  return content.split('\n').flatMap((line) => {
    const [item, time] = line.split('·').map(part => part.trim())
    const title = item?.match(/^\d+\.\s(.*)$/)?.[1]?.trim()
    const minutes = time?.match(/^(\d+) min$/)?.[1]
    return title && minutes
      ? [
          {
            title,
            minutes: Number(minutes),
          },
        ]
      : []
  })
}
