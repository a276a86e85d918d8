import type { DeckSlide } from '../../scripts/core/deck-source'

/** A slide of an in-memory deck.md, at line `no * 10`, titled `# title`; `extra` overrides any field. */
export function slideOf(no: number, title: string, extra: Partial<DeckSlide> = {}): DeckSlide {
  return {
    no,
    title,
    file: 'deck.md',
    line: no * 10,
    range: [no * 10, no * 10 + 5],
    sourceLines: [],
    content: `# ${title}`,
    notes: '',
    frontmatter: {},
    frontmatterErrors: [],
    ...extra,
  }
}
