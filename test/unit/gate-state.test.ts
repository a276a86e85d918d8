import type { DeckSlide } from '../../scripts/core/deck-source'
import { describe, expect, it } from 'vitest'
import { stateOf } from '../../scripts/core/deck-walk'
import { densityExemption } from '../browser/harness/browser-gates'

const slide = (no: number, frontmatter: Record<string, unknown> = {}) => ({ no, frontmatter }) as DeckSlide
const deck = {
  slides: [slide(1), slide(2), slide(3, { routeAlias: 'cni-cilium' })],
}

describe('stateOf: the slide and click step a deck URL shows', () => {
  it('reads the slide number and the click step', () => {
    expect(stateOf('http://127.0.0.1:4000/2?clicks=3', deck)).toEqual({ no: 2, clicks: 3 })
    expect(stateOf('http://127.0.0.1:4000/presenter/2', deck)).toEqual({ no: 2, clicks: 0 })
    expect(stateOf('http://127.0.0.1:4000/', deck)).toEqual({ no: 1, clicks: 0 })
  })

  it('maps a slide\'s routeAlias, which Slidev puts in the URL, to the slide', () => {
    expect(stateOf('http://127.0.0.1:4000/cni-cilium?clicks=1', deck)).toEqual({ no: 3, clicks: 1 })
    expect(stateOf('http://127.0.0.1:4000/presenter/cni-cilium', deck)).toEqual({ no: 3, clicks: 0 })
  })
})

describe('densityExemption', () => {
  it('lifts the density limits only for a reference page in the appendix', () => {
    expect(densityExemption({ frontmatter: {} }, false)).toBe('checked')
    expect(densityExemption({ frontmatter: {} }, true)).toBe('checked')
    expect(densityExemption({
      frontmatter: { density: 'reference' },
    }, true)).toBe('exempt')
  })

  it('refuses the exemption before the appendix, and any other value', () => {
    expect(densityExemption({
      frontmatter: { density: 'reference' },
    }, false)).toMatch(/^density: reference is for reference pages in the appendix/)
    expect(densityExemption({
      frontmatter: { density: 'loose' },
    }, true)).toMatch(/^density: loose is not a setting/)
  })
})
