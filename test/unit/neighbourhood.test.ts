import { describe, expect, it } from 'vitest'
import { comparableText } from '../../scripts/core/markdown'
import { noteOpening, slideFromNeighbourhood } from '../browser/harness/browser-gates'

describe('slideFromNeighbourhood', () => {
  it('blames the middle of three neighbouring loads', () => {
    expect(slideFromNeighbourhood([6, 7, 8], 10)).toBe(7)
    expect(slideFromNeighbourhood([8, 6, 7, 7], 10)).toBe(7)
  })

  it('handles the first and the last slide, which have one neighbour', () => {
    expect(slideFromNeighbourhood([1, 2], 10)).toBe(1)
    expect(slideFromNeighbourhood([9, 10], 10)).toBe(10)
  })

  it('blames a single load', () => {
    expect(slideFromNeighbourhood([4], 10)).toBe(4)
  })

  it('gives up on patterns preloading cannot explain', () => {
    expect(slideFromNeighbourhood([1, 2, 3, 4, 5], 5)).toBeUndefined()
    expect(slideFromNeighbourhood([2, 5], 10)).toBeUndefined()
    expect(slideFromNeighbourhood([4, 5], 10)).toBeUndefined()
    expect(slideFromNeighbourhood([], 10)).toBeUndefined()
  })
})

describe('noteOpening', () => {
  it('takes the first words of the notes as presenter mode shows them', () => {
    expect(noteOpening('**Point** at the `dashed` box: the network')).toBe('point at the dashed')
    expect(noteOpening('Say what\'s next (1 min)')).toBe('say what s next')
    expect(noteOpening('')).toBe('')
  })

  it('compares text without Markdown marks or typographic quotes', () => {
    expect(comparableText('What’s “this”?')).toBe(comparableText('What\'s "this"?'))
  })
})
