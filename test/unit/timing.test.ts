import type { Deck, DeckSlide } from '../../scripts/core/deck-source'
import type { StageRuns } from '../../scripts/deck/timing'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { plainTitle, readDeck } from '../../scripts/core/deck-source'
import { comparableText } from '../../scripts/core/markdown'
import { stageRuns } from '../../scripts/deck/deck-lint'
import { agendaEntries, durationMinutes, partPaces, plannedMinutes, sectionBudgets, timingProblems } from '../../scripts/deck/timing'
import { readScenarios } from '../../scripts/snippet-check/scenarios'
import { slideOf } from './deck-fixture'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const entry = fileURLToPath(new URL('../../slides.md', import.meta.url))
const stageFixture = fileURLToPath(new URL('../fixtures/bad-input/stage-pacing', import.meta.url))

/** A slide of an in-memory deck, at line `no * 10` of deck.md. */
function slide(no: number, title: string, frontmatter: Record<string, unknown>, notes: string, content = ''): DeckSlide {
  return slideOf(no, title, { frontmatter, notes, content: `# ${title}\n\n${content}` })
}

function deckOf(duration: string, ...slides: DeckSlide[]): Deck {
  return {
    root: '/deck',
    entry: 'deck.md',
    headmatter: { duration },
    slides,
  }
}

const noSteps: StageRuns = new Map()

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

  it('reads agenda lines', () => {
    expect(agendaEntries('1. The container model · 8 min\n2. Hands-on · 12 min\nnot an entry')).toEqual([
      { title: 'The container model', minutes: 8 },
      { title: 'Hands-on', minutes: 12 },
    ])
  })
})

describe('timing.ts without Node', () => {
  it('imports, besides types, only the plain models and the Markdown helpers, which import nothing', () => {
    const imports = (file: string) => [
      ...readFileSync(new URL(file, import.meta.url), 'utf8').matchAll(/^import (?!type )[^\n]* from '([^']+)'/gm),
    ].map(match => match[1])
    expect(imports('../../scripts/deck/timing.ts')).toEqual(['../../model/part-timer', '../core/markdown'])
    expect(imports('../../model/part-timer.ts')).toEqual([])
    expect(imports('../../scripts/core/markdown.ts')).toEqual([])
  })
})

describe('the pacing check', () => {
  it('names a slide without a planned time and a part that plans more than a minute less than its budget', async () => {
    const deck = await readDeck(fileURLToPath(new URL('../fixtures/bad-input/pacing.md', import.meta.url)))
    expect(timingProblems(deck, noSteps)).toEqual([
      'pacing.md:22: slide 3\'s notes do not end with its time, e.g. "(1 min)"',
      'pacing.md:16: part "A section" plans 0.5 min of narration + 0 s of steps = 0.5 min, more than 1 min short of its budget of 2 min: give its slides the time, or the budget to another part',
    ])
  })

  it('names the part, by file and line, that its steps\' time on stage takes over its budget', async () => {
    const deck = await readDeck(`${stageFixture}/slides.md`)
    const runs = stageRuns(readScenarios(stageFixture))
    expect(timingProblems(deck, runs)).toEqual([
      'slides.md:17: part "Hands-on" plans 2.5 min of narration + 40 s of steps = 3.17 min, over its budget of 3 min',
    ])
    // The narration alone fits: only the steps put it over.
    expect(timingProblems(deck, noSteps)).toEqual([])
  })

  it('counts each step once per part: a staged one as nothing, the hidden ones a run brings along, command and output halves alike', async () => {
    const deck = await readDeck(`${stageFixture}/slides.md`)
    const runs = stageRuns(readScenarios(stageFixture))
    expect(runs.get('demo/04-fix')).toEqual([
      { id: 'demo/03-wait', seconds: 5 },
      { id: 'demo/04-fix', seconds: 15 },
    ])
    expect(runs.get('demo/01-create')).toEqual([{ id: 'demo/01-create', seconds: 0 }])
    const [cover, handsOn] = partPaces(deck.slides, runs)
    expect(cover!.steps).toEqual([])
    expect(handsOn!.steps).toEqual([
      { id: 'demo/01-create', seconds: 0 },
      { id: 'demo/02-show', seconds: 20 },
      { id: 'demo/03-wait', seconds: 5 },
      { id: 'demo/04-fix', seconds: 15 },
    ])
    expect(handsOn!.stepSeconds).toBe(40)
    expect(handsOn!.narrationMinutes).toBe(2.5)
  })

  it('reports narration over a budget, and accepts a plan up to a minute short of it', () => {
    const runs: StageRuns = new Map([['s/01', [{ id: 's/01', seconds: 30 }]]])
    const over = deckOf('3min', slide(1, 'Cover', { budget: 1 }, 'Hi. (1 min)'), slide(2, 'Part', { layout: 'section', part: 1, budget: 2 }, 'Go. (2.25 min)'))
    expect(timingProblems(over, runs)).toEqual([
      'deck.md:20: part "Part" plans 2.25 min of narration + 0 s of steps = 2.25 min, over its budget of 2 min',
    ])
    const short = deckOf('3min', slide(1, 'Cover', { budget: 1 }, 'Hi. (1 min)'), slide(2, 'Part', { layout: 'section', part: 1, budget: 2 }, 'Go. (0.5 min)', '<SnippetRun step="s/01" />'))
    expect(timingProblems(short, runs)).toEqual([])
  })
})

describe('the appendix', () => {
  const cover = slide(1, 'Cover', { budget: 2 }, 'Hi. (2 min)')
  const appendix = slide(3, 'Appendix', { layout: 'section', appendix: true }, 'Outside the hour. (0.25 min)')

  it('is outside the hour: no budget, not in the session\'s sum, but every slide still says how long it takes', () => {
    const deck = deckOf('2min', cover, appendix, slide(4, 'Detail', {}, 'Long story. (5 min)'), slide(5, 'Untimed', {}, 'No time here.'))
    expect(sectionBudgets(deck).map(budget => budget.title)).toEqual(['Cover'])
    expect(timingProblems(deck, noSteps)).toEqual([
      'deck.md:50: slide 5\'s notes do not end with its time, e.g. "(1 min)"',
    ])
  })

  it('has no budget of its own, and nothing with a budget comes after it', () => {
    const deck = deckOf('2min', cover, {
      ...appendix,
      frontmatter: { ...appendix.frontmatter, budget: 3 },
    }, slide(4, 'Late part', { layout: 'section', part: 2, budget: 1 }, 'Too late. (1 min)'))
    expect(timingProblems(deck, noSteps)).toEqual([
      'deck.md:30: the appendix "Appendix" is outside the hour: drop its budget (its slides\' notes still say how long each takes)',
      'deck.md:40: "Late part" has a budget but comes after the appendix (deck.md:30): the appendix goes last',
    ])
  })
})

describe('the talk\'s timing budget', () => {
  it('adds up to the hour, and each part plans its budget with the hands-on steps\' time on stage', async () => {
    const deck = await readDeck(entry)
    expect(timingProblems(deck, stageRuns(readScenarios(repo)))).toEqual([])
    expect(sectionBudgets(deck).reduce((sum, budget) => sum + budget.minutes, 0)).toBe(60)
  })

  it('gives the hands-on part at least 18 minutes and questions at least 5 on a slide of their own, with the appendix after them', async () => {
    const deck = await readDeck(entry)
    const budgets = sectionBudgets(deck)
    expect(budgets.find(budget => budget.title.startsWith('Hands-on'))!.minutes).toBeGreaterThanOrEqual(18)
    const questions = budgets.at(-1)!
    expect(questions.title).toBe('Questions')
    expect(questions.minutes).toBeGreaterThanOrEqual(5)
    const appendix = deck.slides.find(s => s.frontmatter.appendix === true)!
    expect(appendix.no).toBe(questions.slide.no + 1)
  })

  it('opens the appendix with a list of what is in it', async () => {
    const deck = await readDeck(entry)
    const opener = deck.slides.findIndex(s => s.frontmatter.appendix === true)
    const listed = comparableText(plainTitle(deck.slides[opener]!.content))
    // A family of slides titled "Family: member" is listed once: "Family: member, member, …".
    for (const moved of deck.slides.slice(opener + 1)) {
      for (const part of moved.title.split(/: (.*)/s).filter(Boolean))
        expect(listed, moved.title).toContain(comparableText(part))
    }
  })

  it('is announced on the agenda slide exactly as the sections plan it, with the appendix', async () => {
    const deck = await readDeck(entry)
    const agenda = deck.slides.find(slide => slide.title === 'Agenda')!
    const sections = sectionBudgets(deck).filter(budget => budget.slide.frontmatter.layout === 'section')
    const announced = agendaEntries(agenda.content)
    expect(announced.map(entry => entry.minutes)).toEqual(sections.map(section => section.minutes))
    for (const [index, entry] of announced.entries())
      expect(entry.title.startsWith(sections[index]!.title), `${entry.title} vs ${sections[index]!.title}`).toBe(true)
    expect(agenda.content).toMatch(/appendix/i)
  })
})
