// A slide's speaker notes as attendees read them under the slide in the handout: without the
// presenter's pacing mark and without the sentences that only say how to run the hands-on
// machinery on stage (which steps are staged, which run control to press). Everything else,
// "point at" included, stays: it tells a reader what to look at on the slide.

/** The "(1.5 min)" the notes end with: the presenter's pacing, read by `npm run check:deck`. */
const TIME_MARK = /\s*\(\d+(?:\.\d+)?\s*min\)\s*$/

export function withoutTimeMark(notes: string): string {
  return notes.replace(TIME_MARK, '').trimEnd()
}

/**
 * Sentences that are run instructions for the presenter: the staged steps (run by `npm run
 * stage` before the talk), the steps run on stage with the slide's run control, the hidden steps
 * a run brings along, and the pacing (the pacing check, a part's "Budget:"). An attendee reading
 * them would look for controls and step lists that are not in front of them.
 */
export const PRESENTER_ONLY: readonly RegExp[] = [
  /^staged\b/i,
  /\bstaged (?:whole|steps?)\b/i,
  /^on stage\b/i,
  /\bruns? on stage\b/i,
  /\brun control\b/i,
  /\bhidden (?:steps?\b|\d\d-)/i,
  /^run [a-z][\w-]*\/\d\d-[\w-]+\.?$/i,
  /\bpacing check\b/i,
  /^budget: /i,
]

/** Splits prose into sentences at ". ", "? " or "! " (not after "e.g." and the like). */
export function sentences(paragraph: string): string[] {
  const text = paragraph.replace(/\s+/g, ' ').trim()
  if (!text)
    return []
  const parts: string[] = []
  let start = 0
  for (const match of text.matchAll(/[.!?]["')\]]? (?=\S)/g)) {
    const end = match.index + match[0].length - 1
    const candidate = text.slice(start, end)
    // "e.g. Foo", "i.e. Bar", "vs. X": not the end of a sentence.
    if (/\b(?:e\.g|i\.e|vs|cf|etc)\.$/i.test(candidate))
      continue
    parts.push(candidate.trim())
    start = end + 1
  }
  parts.push(text.slice(start).trim())
  return parts.filter(Boolean)
}

export interface HandoutNotes {
  /** Paragraphs of the notes as the handout prints them, Markdown inline marks kept. */
  paragraphs: string[]
  /** Sentences left out as presenter-only run instructions, for the export's log. */
  dropped: string[]
}

export function isPresenterOnly(sentence: string): boolean {
  return PRESENTER_ONLY.some(pattern => pattern.test(sentence))
}

/** A slide's notes for the handout: no time mark, no run instructions, paragraphs kept. */
export function handoutNotes(notes: string): HandoutNotes {
  const dropped: string[] = []
  const paragraphs = withoutTimeMark(notes.trim())
    .split(/\n\s*\n/)
    .map((paragraph) => {
      const kept = sentences(paragraph).filter((sentence) => {
        if (!isPresenterOnly(sentence))
          return true
        dropped.push(sentence)
        return false
      })
      return kept.join(' ')
    })
    .filter(Boolean)
  return { paragraphs, dropped }
}

/** The plain text of the notes (Markdown marks dropped), as a PDF's text layer should hold it. */
export function notesPlainText(paragraphs: string[]): string {
  return paragraphs.join('\n\n').replace(/\*\*|__|`/g, '')
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, c => ESCAPES[c]!)
}

/** One paragraph of notes as HTML: `code` and **bold**, everything else escaped. */
export function inlineHtml(paragraph: string): string {
  return paragraph
    .split(/(`[^`]+`)/)
    .map(part => part.startsWith('`') && part.endsWith('`') && part.length > 1
      ? `<code>${escapeHtml(part.slice(1, -1))}</code>`
      : escapeHtml(part).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>'))
    .join('')
}
