// @vitest-environment happy-dom
import type { PlanSlide, PresenterTimer } from '../../model/part-timer'
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import PartTimer from '../../components/PartTimer.vue'
import { clockText, elapsedSeconds, partClock, talkPlan } from '../../model/part-timer'

// A small talk: a 3-minute opening on the cover, two parts, questions, and an appendix.
const slides: PlanSlide[] = [
  {
    no: 1,
    title: 'What really happens at startup',
    frontmatter: { layout: 'cover', budget: 3 },
  },
  { no: 2, title: 'Agenda', frontmatter: {} },
  {
    no: 3,
    title: 'The container model',
    frontmatter: { layout: 'section', part: 1, budget: 6 },
  },
  { no: 4, title: 'Init containers', frontmatter: {} },
  {
    no: 5,
    title: 'Hands-on on kind',
    frontmatter: { layout: 'section', part: 7, budget: 18 },
  },
  { no: 6, title: 'Jobs', frontmatter: {} },
  {
    no: 7,
    title: 'Questions',
    frontmatter: { layout: 'section', part: 9, budget: 5 },
  },
  {
    no: 8,
    title: 'Appendix',
    frontmatter: { layout: 'section', appendix: true },
  },
  { no: 9, title: 'References', frontmatter: {} },
]
const plan = talkPlan(slides)
const minutes = (m: number, s = 0) => m * 60 + s

describe('the talk plan', () => {
  it('cuts the slides into parts at each budget, each ending where the budgets up to it add up to, and stops at the appendix', () => {
    expect(plan.parts.map(part => [
      part.title,
      part.part,
      part.startMinute,
      part.endMinute,
      part.slides.map(s => s.no),
    ])).toEqual([
      ['Opening', undefined, 0, 3, [1, 2]],
      ['The container model', 1, 3, 9, [3, 4]],
      ['Hands-on on kind', 7, 9, 27, [5, 6]],
      ['Questions', 9, 27, 32, [7]],
    ])
    expect(plan.appendixOpener?.no).toBe(8)
    expect(plan.appendix.map(s => s.no)).toEqual([8, 9])
  })
})

describe('reading Slidev\'s presenter timer', () => {
  const started = 1_000_000
  it('counts nothing while stopped, the running time while running, and holds still while paused', () => {
    expect(elapsedSeconds({ status: 'stopped', startedAt: 0, pausedAt: 0 }, started + 5000)).toBeUndefined()
    expect(elapsedSeconds({ status: 'running', startedAt: started, pausedAt: 0 }, started + 90_500)).toBe(90.5)
    expect(elapsedSeconds({ status: 'paused', startedAt: started, pausedAt: started + 60_000 }, started + 999_000)).toBe(60)
  })

  it('prints m:ss, and h:mm:ss past the hour', () => {
    expect(clockText(252.9)).toBe('4:12')
    expect(clockText(5)).toBe('0:05')
    expect(clockText(3725)).toBe('1:02:05')
  })
})

describe('the part clock', () => {
  it('shows the part, its budget and the time to its planned end', () => {
    // Part 7 is planned to end 27 minutes in; 22:48 have passed.
    expect(partClock(plan, 6, minutes(22, 48))).toMatchObject({
      state: 'ok',
      label: 'Part 7 · Hands-on on kind · 18 min',
      time: '4:12 left',
      leftSeconds: 252,
    })
  })

  it('turns amber under a minute left and red past the end', () => {
    expect(partClock(plan, 5, minutes(26, 1))).toMatchObject({ state: 'amber', time: '0:59 left' })
    expect(partClock(plan, 5, minutes(27))).toMatchObject({ state: 'amber', time: '0:00 left' })
    expect(partClock(plan, 5, minutes(28, 5))).toMatchObject({ state: 'red', time: '1:05 over' })
  })

  it('counts the time left to the part\'s planned end, so being ahead of plan shows as more than its budget', () => {
    expect(partClock(plan, 5, minutes(4))).toMatchObject({ state: 'ok', time: '23:00 left' })
  })

  it('names the opening, shows the planned end while the timer is stopped, and does not time the appendix', () => {
    expect(partClock(plan, 2, minutes(1))).toMatchObject({ label: 'Opening · 3 min', time: '2:00 left' })
    expect(partClock(plan, 4, undefined)).toMatchObject({ state: 'waiting', label: 'Part 1 · The container model · 6 min', time: 'until 9:00' })
    expect(partClock(plan, 9, minutes(40))).toEqual({ state: 'appendix', label: 'Appendix', time: 'not timed' })
    expect(partClock(talkPlan([{ no: 1, title: 'Untimed', frontmatter: {} }]), 1, 0)).toBeUndefined()
  })
})

describe('<PartTimer>', () => {
  const started = 1_000_000
  const running: PresenterTimer = { status: 'running', startedAt: started, pausedAt: 0 }

  it('renders the current part and its time left, marked by state', () => {
    const view = mount(PartTimer, {
      props: {
        slides,
        slideNo: 6,
        timer: running,
        now: started + minutes(26, 30) * 1000,
      },
    })
    expect(view.text()).toBe('Part 7 · Hands-on on kind · 18 min · 0:30 left')
    expect(view.classes()).toContain('part-timer--amber')
    expect(view.attributes('data-state')).toBe('amber')
  })

  it('renders red once the part is over, and nothing on a slide outside every part', () => {
    const over = mount(PartTimer, {
      props: {
        slides,
        slideNo: 7,
        timer: running,
        now: started + minutes(33) * 1000,
      },
    })
    expect(over.text()).toBe('Part 9 · Questions · 5 min · 1:00 over')
    expect(over.classes()).toContain('part-timer--red')
    const none = mount(PartTimer, {
      props: {
        slides: [{ no: 1, title: 'x', frontmatter: {} }],
        slideNo: 1,
        timer: running,
        now: started,
      },
    })
    expect(none.find('.part-timer').exists()).toBe(false)
  })
})
