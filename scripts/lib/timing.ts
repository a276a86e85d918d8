import type { Deck, DeckSlide } from './deck-source'

export interface SectionBudget {
  title: string
  minutes: number
  slide: DeckSlide
}

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
  return match[2] === 'h'
    ? amount * 60
    : amount
}

/** Every slide that carries a `budget:` (minutes) in its frontmatter: the cover and each section. */
export function sectionBudgets(deck: Pick<Deck, 'slides'>): SectionBudget[] {
  return deck.slides
    .filter(slide => slide.frontmatter.budget !== undefined)
    .map(slide => ({
      title: slide.title,
      minutes: Number(slide.frontmatter.budget),
      slide,
    }))
}

/** Problems with the timing plan: section budgets must be numbers and add up to the session. */
export function timingProblems(deck: Deck): string[] {
  const problems: string[] = []
  const budgets = sectionBudgets(deck)
  for (const budget of budgets) {
    if (!Number.isFinite(budget.minutes) || budget.minutes <= 0)
      problems.push(`${budget.slide.file}:${budget.slide.line}: budget must be a positive number of minutes`)
  }
  for (const slide of deck.slides) {
    if (slide.frontmatter.layout === 'section' && slide.frontmatter.budget === undefined)
      problems.push(`${slide.file}:${slide.line}: section "${slide.title}" has no budget (minutes)`)
  }
  const session = durationMinutes(deck.headmatter.duration)
  const total = budgets.reduce((sum, budget) => sum + budget.minutes, 0)
  if (session !== undefined && total !== session)
    problems.push(`${deck.entry}: section budgets add up to ${total} min, the session (duration) is ${session} min`)
  return [
    ...problems,
    ...pacingProblems(deck.slides),
  ]
}

/** The "(1.5 min)" a slide's notes end with: how long the presenter plans to spend on it. */
export function plannedMinutes(notes: string): number | undefined {
  const match = notes.trim().match(/\((\d+(?:\.\d+)?) min\)$/)
  return match
    ? Number(match[1])
    : undefined
}

/**
 * Each budgeted slide opens a section that runs to the next one. Every slide in it says how long
 * it takes, and those times add up to the section's budget, so presenter mode's notes and the
 * agenda tell the same story.
 */
export function pacingProblems(slides: DeckSlide[]): string[] {
  const budgets = sectionBudgets({ slides })
  return budgets.flatMap((budget, index) => {
    const end = budgets[index + 1]?.slide.no ?? slides.length + 1
    const sectionSlides = slides.filter(slide => slide.no >= budget.slide.no && slide.no < end)
    const untimed = sectionSlides.filter(slide => plannedMinutes(slide.notes) === undefined)
    const planned = sectionSlides.reduce((sum, slide) => sum + (plannedMinutes(slide.notes) ?? 0), 0)
    const { file, line, title } = budget.slide
    return [
      ...untimed.map(slide => `${slide.file}:${slide.line}: slide ${slide.no}'s notes do not end with its time, e.g. "(1 min)"`),
      ...(Math.abs(planned - budget.minutes) > 0.001
        ? [`${file}:${line}: the slides of "${title}" plan ${planned} min in their notes, its budget is ${budget.minutes} min`]
        : []),
    ]
  })
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
