import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readDeck } from '../../scripts/core/deck-source'
import { filterSlideIndex, formatSlideIndex, slideIndex } from '../../scripts/deck/slide-index'
import { runScript } from '../run-script'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const fixture = fileURLToPath(new URL('../fixtures/bad-input/pacing.md', import.meta.url))

describe('slideIndex', () => {
  it('gives every slide of the talk its part, source line, components and steps', async () => {
    const deck = await readDeck(`${repo}/slides.md`)
    const index = slideIndex(deck)
    expect(index).toHaveLength(deck.slides.length)
    expect(index[0]).toMatchObject({ no: 1, part: 'opening', where: 'slides.md:31' })
    const stepper = index.find(entry => entry.components.includes('PodStartup'))!
    expect(stepper.part).toMatch(/^part \d$/)
    expect(stepper.where).toMatch(/^pages\/\S+\.md:\d+$/)
    const terminal = index.find(entry => entry.steps.length)!
    expect(terminal.components).toContain('SnippetRun')
    expect(new Set(terminal.steps).size).toBe(terminal.steps.length)
    expect(index.at(-1)!.part).toBe('appendix')
    expect(index.flatMap(entry => entry.components).some(name => name.includes('-'))).toBe(false)
  })

  it('keeps each part in the page file of the same number, so "part 5" is pages/05-…', async () => {
    const index = slideIndex(await readDeck(`${repo}/slides.md`))
    for (const entry of index) {
      const file = entry.where.replace(/:\d+$/, '')
      const expected = entry.part === 'appendix'
        ? /^pages\/appendix\.md$/
        : entry.part === 'opening'
          ? /^(?:slides\.md|pages\/00-[\w-]+\.md)$/
          : new RegExp(`^pages/0${entry.part.replace('part ', '')}-[\\w-]+\\.md$`)
      expect(file, `slide ${entry.no} "${entry.title}" (${entry.part})`).toMatch(expected)
    }
  })

  it('finds a slide by number, or by words of its title, file or steps', async () => {
    const index = slideIndex(await readDeck(`${repo}/slides.md`))
    expect(filterSlideIndex(index, '3').map(entry => entry.no)).toEqual([3])
    expect(filterSlideIndex(index, 'NODE-START RACE').map(entry => entry.title)).toEqual(['The node-start race'])
    expect(filterSlideIndex(index, 'no such slide anywhere')).toEqual([])
    expect(filterSlideIndex(index, undefined)).toBe(index)
  })

  it('prints one aligned line per slide', async () => {
    const lines = formatSlideIndex(slideIndex(await readDeck(fixture))).split('\n')
    expect(lines.length).toBeGreaterThan(1)
    const column = lines.map(line => line.search(/\S+\.md:\d+/))
    expect(new Set(column).size).toBe(1)
  })
})

describe('npm run slides', () => {
  it('exits 1 with a message when nothing matches', async () => {
    const run = await runScript('scripts/slides.ts', ['no such slide anywhere'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toMatch(/^no slide matches "no such slide anywhere" \(\d+ slides\)$/)
  })
})
