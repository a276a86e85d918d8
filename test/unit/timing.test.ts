import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readDeck } from '../../scripts/lib/deck-source'
import { agendaEntries, durationMinutes, sectionBudgets, timingProblems } from '../../scripts/lib/timing'

const entry = fileURLToPath(new URL('../../slides.md', import.meta.url))

describe('timing helpers', () => {
  it('reads Slidev durations', () => {
    expect(durationMinutes('60min')).toBe(60)
    expect(durationMinutes('1h')).toBe(60)
    expect(durationMinutes(45)).toBe(45)
    expect(durationMinutes('soon')).toBeUndefined()
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
