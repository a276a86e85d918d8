import type { OutputSegment, PlaceholderName } from '../../model/snippet-session'
import { parseExpectedOutput } from '../../model/snippet-session'

// Markdown as GitHub renders it, with nothing GitHub strips: headings and their anchors, fenced
// code blocks, tables, links. Pure functions; the guide's renderer builds on them.

/**
 * The anchors GitHub gives headings: the heading's text in lower case, without anything but
 * letters, marks, digits, connector punctuation (`_`), spaces and hyphens, spaces turned into
 * hyphens; a repeated anchor gets `-1`, `-2`, ... (github-slugger's rules).
 */
export class Slugger {
  private readonly seen = new Map<string, number>()

  slug(heading: string): string {
    const base = headingText(heading)
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-')
    let slug = base
    while (this.seen.has(slug)) {
      const count = this.seen.get(base)! + 1
      this.seen.set(base, count)
      slug = `${base}-${count}`
    }
    this.seen.set(slug, 0)
    return slug
  }
}

/** A heading's text as GitHub reads it for its anchor: inline code and emphasis marks dropped. */
export function headingText(heading: string): string {
  return heading.replace(/`/g, '').replace(/\*\*/g, '')
}

/** A fenced code block whose fence is longer than any run of backticks inside it. */
export function fence(language: string, text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map(match => match[0].length))
  const marks = '`'.repeat(Math.max(3, longest + 1))
  return `${marks}${language}\n${text}\n${marks}`
}

/** Inline code that survives any backticks inside it. */
export function inlineCode(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map(match => match[0].length))
  const marks = '`'.repeat(longest + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${marks}${pad}${text}${pad}${marks}`
}

/** A table cell: pipes escaped, lines joined. */
export function tableCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')
}

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.map(tableCell).join(' | ')} |`
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n')
}

/** How the guide writes a placeholder: as the slides draw it, `‹hash›`. */
export function placeholderMark(name: PlaceholderName): string {
  return `‹${name}›`
}

/**
 * An expected output (`.out`) as the guide shows it: each `{{placeholder}}` drawn as `‹name›`.
 * The mark is two characters shorter, so where a placeholder heads a column (somewhere in the
 * output it is followed by two or more spaces: a table cell, a log line's timestamp) each of its
 * occurrences followed by a space gets two more, and the columns stay aligned as in the file.
 * Returns the placeholders it met, in order of appearance.
 */
export function readableOutput(text: string, file: string): { text: string, placeholders: PlaceholderName[] } {
  const parsed = parseExpectedOutput(text, file)
  const followedBy = (segments: readonly OutputSegment[], index: number) => {
    const next = segments[index + 1]
    return next?.kind === 'text' ? next.text : ''
  }
  const columns = new Set<PlaceholderName>()
  for (const segments of parsed) {
    segments.forEach((segment, index) => {
      if (segment.kind === 'volatile' && followedBy(segments, index).startsWith('  '))
        columns.add(segment.name)
    })
  }
  const placeholders: PlaceholderName[] = []
  const lines = parsed.map(segments => segments.map((segment, index) => {
    if (segment.kind === 'text')
      return segment.text
    if (!placeholders.includes(segment.name))
      placeholders.push(segment.name)
    const pad = columns.has(segment.name) && followedBy(segments, index).startsWith(' ')
    return `${placeholderMark(segment.name)}${pad ? '  ' : ''}`
  }).join(''))
  return {
    text: lines.join('\n'),
    placeholders,
  }
}

/** `330` → `5 min 30 s`. */
export function spokenDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60)
  const rest = seconds % 60
  if (minutes === 0)
    return `${rest} s`
  return rest === 0
    ? `${minutes} min`
    : `${minutes} min ${rest} s`
}
