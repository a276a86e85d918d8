import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readDeck } from '../../scripts/lib/deck-source'
import { agendaEntries, durationMinutes, plannedMinutes, sectionBudgets, timingProblems } from '../../scripts/lib/timing'

const entry = fileURLToPath(new URL('../../slides.md', import.meta.url))

describe('timing helpers', () => {
  it('reads Slidev durations', () => {
    expect(durationMinutes('60min')).toBe(60)
    expect(durationMinutes('1h')).toBe(60)
    expect(durationMinutes(45)).toBe(45)
    expect(durationMinutes('soon')).toBeUndefined()
  })

  it('reads the planned time at the end of a slide\'s notes', () => {
    expect(plannedMinutes('Say this. (1.25 min)')).toBe(1.25)
    expect(plannedMinutes('Say this. (2 min)\n')).toBe(2)
    expect(plannedMinutes('It takes (2 min) to say, then more.')).toBeUndefined()
    expect(plannedMinutes('Say this. (1 minute)')).toBeUndefined()
  })

  it('names a slide without a planned time and a section whose times miss its budget', async () => {
    const deck = await readDeck(fileURLToPath(new URL('../fixtures/bad-input/pacing.md', import.meta.url)))
    expect(timingProblems(deck)).toEqual([
      'pacing.md:22: slide 3\'s notes do not end with its time, e.g. "(1 min)"',
      'pacing.md:16: the slides of "A section" plan 0.5 min in their notes, its budget is 2 min',
    ])
  })

  it('reads agenda lines', () => {
    expect(agendaEntries('1. The container model · 8 min\n2. Hands-on · 12 min\nnot an entry')).toEqual([
      { title: 'The container model', minutes: 8 },
      { title: 'Hands-on', minutes: 12 },
    ])
  })
})

describe('the talk\'s timing budget', () => {
  it('adds up to the session and gives every section a budget', async () => {
    const deck = await readDeck(entry)
    expect(timingProblems(deck)).toEqual([])
    expect(sectionBudgets(deck).reduce((sum, budget) => sum + budget.minutes, 0)).toBe(60)
  })

  it('is announced on the agenda slide exactly as the sections plan it', async () => {
    const deck = await readDeck(entry)
    const agenda = deck.slides.find(slide => slide.title === 'Agenda')!
    const sections = sectionBudgets(deck).filter(budget => budget.slide.frontmatter.layout === 'section')
    const announced = agendaEntries(agenda.content)
    expect(announced.map(entry => entry.minutes)).toEqual(sections.map(section => section.minutes))
    for (const [index, entry] of announced.entries())
      expect(entry.title.startsWith(sections[index]!.title), `${entry.title} vs ${sections[index]!.title}`).toBe(true)
  })
})
