import type { SlideFingerprint } from './fingerprint'
import { diffArrays } from 'diff'
import { textSimilarity } from './fingerprint'

/**
 * How one slide of the base deck corresponds to one of the head deck:
 * - `same`: the same source (title and content) in both, in the same order;
 * - `moved`: the same source, elsewhere in the order;
 * - `edited`: a slide whose source changed but is still recognisably that slide (same title, or
 *   at least EDIT_SIMILARITY of its words shared);
 * - `added` / `removed`: a slide on one side only.
 */
export type SlideMatch
  = | { kind: 'same' | 'moved' | 'edited', before: SlideFingerprint, after: SlideFingerprint }
    | { kind: 'added', after: SlideFingerprint }
    | { kind: 'removed', before: SlideFingerprint }

/** The share of words two versions of a slide must have in common to count as one slide edited. */
export const EDIT_SIMILARITY = 0.5

function pairScore(before: SlideFingerprint, after: SlideFingerprint): number | undefined {
  const sameTitle = before.title !== '' && before.title === after.title
  const similarity = textSimilarity(before.words, after.words)
  if (!sameTitle && similarity < EDIT_SIMILARITY)
    return undefined
  return similarity + (sameTitle ? 1 : 0)
}

/**
 * Pairs the slides of a run of removed and added ones (between two slides that stayed) as edits,
 * keeping their order and maximising the summed similarity: the alignment of a sequence diff,
 * with a score instead of equality.
 */
function pairEdits(removed: SlideFingerprint[], added: SlideFingerprint[]): SlideMatch[] {
  const rows = removed.length
  const cols = added.length
  const best: number[][] = Array.from({ length: rows + 1 }, () => Array.from<number>({ length: cols + 1 }).fill(0))
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = cols - 1; j >= 0; j--) {
      const score = pairScore(removed[i]!, added[j]!)
      best[i]![j] = Math.max(
        best[i + 1]![j]!,
        best[i]![j + 1]!,
        score === undefined ? -1 : score + best[i + 1]![j + 1]!,
      )
    }
  }
  const matches: SlideMatch[] = []
  let i = 0
  let j = 0
  while (i < rows && j < cols) {
    const score = pairScore(removed[i]!, added[j]!)
    if (score !== undefined && best[i]![j] === score + best[i + 1]![j + 1]!) {
      matches.push({ kind: 'edited', before: removed[i]!, after: added[j]! })
      i++
      j++
    }
    else if (best[i]![j] === best[i + 1]![j]) {
      matches.push({ kind: 'removed', before: removed[i++]! })
    }
    else {
      matches.push({ kind: 'added', after: added[j++]! })
    }
  }
  while (i < rows)
    matches.push({ kind: 'removed', before: removed[i++]! })
  while (j < cols)
    matches.push({ kind: 'added', after: added[j++]! })
  return matches
}

/**
 * Matches the slides of two versions of a deck by content, so a slide inserted or removed is
 * reported as that, not as every later slide changing. Slides with the same source are aligned
 * first (a longest common subsequence over their fingerprints); the runs between them are paired
 * as edits where they are similar enough; a slide found unchanged elsewhere counts as moved.
 * The result is in the head deck's order, each removed slide where it used to be.
 */
export function matchSlides(before: readonly SlideFingerprint[], after: readonly SlideFingerprint[]): SlideMatch[] {
  const changes = diffArrays([...before], [...after], {
    comparator: (a, b) => a.key === b.key,
  })
  const matches: SlideMatch[] = []
  let b = 0
  let a = 0
  let removed: SlideFingerprint[] = []
  let added: SlideFingerprint[] = []
  const flush = (): void => {
    matches.push(...pairEdits(removed, added))
    removed = []
    added = []
  }
  for (const change of changes) {
    const count = change.count ?? change.value.length
    if (change.removed) {
      removed.push(...before.slice(b, b + count))
      b += count
    }
    else if (change.added) {
      added.push(...after.slice(a, a + count))
      a += count
    }
    else {
      flush()
      for (let k = 0; k < count; k++)
        matches.push({ kind: 'same', before: before[b++]!, after: after[a++]! })
    }
  }
  flush()
  return findMoves(matches)
}

/** A removed slide whose exact source was added elsewhere has moved. */
function findMoves(matches: SlideMatch[]): SlideMatch[] {
  const removedByKey = new Map<string, SlideFingerprint[]>()
  for (const match of matches) {
    if (match.kind === 'removed') {
      removedByKey.set(match.before.key, [...(removedByKey.get(match.before.key) ?? []), match.before])
    }
  }
  const movedFrom = new Set<SlideFingerprint>()
  const result = matches.map((match): SlideMatch => {
    if (match.kind !== 'added')
      return match
    const from = removedByKey.get(match.after.key)?.shift()
    if (!from)
      return match
    movedFrom.add(from)
    return { kind: 'moved', before: from, after: match.after }
  })
  return result.filter(match => !(match.kind === 'removed' && movedFrom.has(match.before)))
}
