import { structuredPatch } from 'diff'

// `npm run write:workshop -- --check`: is the committed WORKSHOP.md what the generator writes
// now? If not, a short summary of where they differ, so the message says more than "stale".

export const MAX_HUNKS_SHOWN = 3
export const MAX_LINES_PER_HUNK = 8

export interface Staleness {
  /** Lines only in the committed file, lines only in the generated one, and places they differ. */
  removed: number
  added: number
  places: number
  /** The first differing line in the committed file (1-based). */
  firstLine: number
  /** The first MAX_HUNKS_SHOWN places, as `-`/`+` lines under an `@@ line N` header. */
  summary: string
}

/** Undefined when the committed text is up to date; otherwise how it differs. */
export function staleness(committed: string, generated: string, file = 'WORKSHOP.md'): Staleness | undefined {
  if (committed === generated)
    return undefined
  const patch = structuredPatch(`${file} (committed)`, `${file} (generated now)`, committed, generated, '', '', { context: 0 })
  let removed = 0
  let added = 0
  const shown: string[] = []
  for (const [index, hunk] of patch.hunks.entries()) {
    const changes = hunk.lines.filter(line => line.startsWith('-') || line.startsWith('+'))
    removed += changes.filter(line => line.startsWith('-')).length
    added += changes.filter(line => line.startsWith('+')).length
    if (index >= MAX_HUNKS_SHOWN)
      continue
    shown.push(`@@ line ${hunk.oldStart}`)
    shown.push(...changes.slice(0, MAX_LINES_PER_HUNK).map(line => line.length > 160
      ? `${line.slice(0, 157)}...`
      : line))
    if (changes.length > MAX_LINES_PER_HUNK)
      shown.push(`  (${changes.length - MAX_LINES_PER_HUNK} more changed lines here)`)
  }
  if (patch.hunks.length > MAX_HUNKS_SHOWN)
    shown.push(`(${patch.hunks.length - MAX_HUNKS_SHOWN} more places)`)
  return {
    removed,
    added,
    places: patch.hunks.length,
    // A changed end of file (a missing final newline) still gives one hunk.
    firstLine: patch.hunks[0]?.oldStart ?? 1,
    summary: shown.join('\n'),
  }
}

export function staleMessage(file: string, stale: Staleness): string {
  const counts = `${stale.removed} line(s) would go and ${stale.added} would come, in ${stale.places} place(s)`
  return [
    `${file}:${stale.firstLine}: out of date with snippets/ (${counts}); run npm run write:workshop and commit ${file}`,
    stale.summary,
  ].filter(Boolean).join('\n')
}
