import type { DeckSlide } from '../core/deck-source'
import { comparableText } from '../core/markdown'

/** What a slide is made of, for matching it with its counterpart in another version of the deck. */
export interface SlideFingerprint {
  no: number
  title: string
  file: string
  line: number
  /** Title and content as comparable words; two slides with the same key show the same source. */
  key: string
  words: string[]
  notes: string
}

export function fingerprint(slide: Pick<DeckSlide, 'no' | 'title' | 'file' | 'line' | 'content' | 'notes'>): SlideFingerprint {
  const words = comparableText(`${slide.title}\n${slide.content}`).split(' ').filter(Boolean)
  return {
    no: slide.no,
    title: slide.title,
    file: slide.file,
    line: slide.line,
    key: words.join(' '),
    words,
    notes: comparableText(slide.notes),
  }
}

/** Dice's coefficient over the two slides' words (as multisets): 1 for the same words, 0 for none shared. */
export function textSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0)
    return 1
  const counts = new Map<string, number>()
  for (const word of a)
    counts.set(word, (counts.get(word) ?? 0) + 1)
  let shared = 0
  for (const word of b) {
    const left = counts.get(word) ?? 0
    if (left > 0) {
      shared++
      counts.set(word, left - 1)
    }
  }
  return (2 * shared) / (a.length + b.length)
}
