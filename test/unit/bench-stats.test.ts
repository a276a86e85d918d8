import { describe, expect, it } from 'vitest'
import { median, percentile, ratio, spread } from '../../scripts/bench/stats'

describe('bench statistics', () => {
  it('takes the middle value, or the mean of the two middle ones, as the median', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })

  it('interpolates a percentile between the nearest ranks, so a p95 of few values is not simply the maximum', () => {
    const values = Array.from({ length: 20 }, (_, index) => index + 1)
    expect(percentile(values, 95)).toBeCloseTo(19.05)
    expect(percentile([10, 20], 95)).toBeCloseTo(19.5)
    expect(percentile([7], 95)).toBe(7)
    expect(percentile(values, 0)).toBe(1)
    expect(percentile(values, 100)).toBe(20)
  })

  it('summarises repeated runs as median, range and count, whatever their order', () => {
    expect(spread([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, n: 3 })
  })

  it('refuses to summarise nothing, or a value that is not a number', () => {
    expect(() => spread([])).toThrow(/no values/)
    expect(() => median([1, Number.NaN])).toThrow(/not a finite number/)
    expect(() => percentile([1], 101)).toThrow(/outside 0-100/)
  })

  it('gives this deck\'s figure as a multiple of the starter\'s, and no ratio against zero', () => {
    expect(ratio(1, 4)).toBe(0.25)
    expect(ratio(3, 0)).toBeUndefined()
  })
})
