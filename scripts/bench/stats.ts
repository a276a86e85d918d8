/** Figures over repeated runs: these machines are noisy, so every figure carries its spread. */

export interface Spread {
  median: number
  min: number
  max: number
  /** How many values the figure is made of. */
  n: number
}

function sorted(values: readonly number[]): number[] {
  if (values.length === 0)
    throw new RangeError('no values to summarise')
  if (values.some(value => !Number.isFinite(value)))
    throw new RangeError(`not a finite number among ${values.join(', ')}`)
  return [...values].sort((a, b) => a - b)
}

/**
 * The p-th percentile (0-100), interpolated between the two nearest ranks (the method spreadsheets
 * and numpy use by default), so a p95 over few values is not simply the maximum.
 */
export function percentile(values: readonly number[], p: number): number {
  if (p < 0 || p > 100)
    throw new RangeError(`percentile ${p} is outside 0-100`)
  const ordered = sorted(values)
  const rank = (p / 100) * (ordered.length - 1)
  const below = Math.floor(rank)
  const above = Math.ceil(rank)
  return ordered[below]! + (ordered[above]! - ordered[below]!) * (rank - below)
}

export function median(values: readonly number[]): number {
  return percentile(values, 50)
}

export function spread(values: readonly number[]): Spread {
  const ordered = sorted(values)
  return {
    median: median(ordered),
    min: ordered[0]!,
    max: ordered[ordered.length - 1]!,
    n: ordered.length,
  }
}

/** A figure of this deck against the starter's: below 1 means this deck is smaller or faster. */
export function ratio(deck: number, starter: number): number | undefined {
  return starter > 0 ? deck / starter : undefined
}
