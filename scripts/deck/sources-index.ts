import type { Deck } from '../core/deck-source'

// SOURCES.md's "Index by slide": one table row per slide title, naming the sections (by the start
// of their heading) that hold the slide's sources, or "—" for a slide with no claim of its own.

export interface SourcesIndexRow {
  title: string
  sections: string[]
  line: number
}

const INDEX_HEADING = '## Index by slide'
const NO_CLAIMS = '—'

export function readSourcesIndex(text: string): SourcesIndexRow[] {
  const lines = text.split('\n')
  const start = lines.findIndex(line => line.trim() === INDEX_HEADING)
  if (start < 0)
    return []
  const rows: SourcesIndexRow[] = []
  for (let i = start + 1; i < lines.length && !lines[i]!.startsWith('## '); i++) {
    const cells = /^\|([^|]*)\|([^|]*)\|\s*$/.exec(lines[i]!)
    if (!cells || /^-+$/.test(cells[1]!.trim()) || cells[1]!.trim() === 'Slide')
      continue
    const sources = cells[2]!.trim()
    rows.push({
      title: cells[1]!.trim(),
      sections: sources === NO_CLAIMS ? [] : sources.split(' · ').map(section => section.trim()),
      line: i + 1,
    })
  }
  return rows
}

/** Headings (`##` to `####`) of SOURCES.md, without the hashes. */
export function sourceHeadings(text: string): string[] {
  return [...text.matchAll(/^#{2,4} (.+)$/gm)].map(match => match[1]!.trim())
}

/** Problems as `SOURCES.md:line: message`: slides missing from the index, and names that match no heading or several. */
export function sourcesIndexProblems(deck: Pick<Deck, 'slides'>, text: string): string[] {
  const rows = readSourcesIndex(text)
  if (!rows.length)
    return [`SOURCES.md:1: no "${INDEX_HEADING}" table`]
  const problems: string[] = []
  const headings = sourceHeadings(text).filter(heading => heading !== INDEX_HEADING.slice(3))
  const listed = new Set(rows.map(row => row.title))
  for (const slide of deck.slides) {
    if (!listed.has(slide.title))
      problems.push(`SOURCES.md:1: slide ${slide.no} "${slide.title}" (${slide.file}:${slide.line}) is not in the index by slide: add a row naming its sources, or — if it makes no claim`)
  }
  const titles = new Set(deck.slides.map(slide => slide.title))
  for (const row of rows) {
    if (!titles.has(row.title))
      problems.push(`SOURCES.md:${row.line}: "${row.title}" is no slide's title`)
    for (const section of row.sections) {
      const matches = headings.filter(heading => heading.startsWith(section))
      if (matches.length !== 1) {
        problems.push(`SOURCES.md:${row.line}: "${section}" names ${matches.length
          ? `${matches.length} sections`
          : 'no section'} (a section is named by the start of its heading)`)
      }
    }
  }
  return problems
}
