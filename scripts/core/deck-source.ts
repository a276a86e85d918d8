import type { Problem } from './problem'
import { readFile } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'
import { load } from '@slidev/parser/fs'
import { firstHeading } from './markdown'

/** One slide as the audience sees it, traced back to the Markdown it came from. */
export interface DeckSlide {
  /** 1-based position in the presentation (hidden slides are not counted). */
  no: number
  /** The slide's title as plain text, '' when it has none. */
  title: string
  /** Source file, relative to the deck's root. */
  file: string
  /** 1-based line of the slide's title (or of its first line when it has no title). */
  line: number
  /** 1-based lines [first, last] the slide spans in its file. */
  range: [number, number]
  /** The slide's source lines, for locating findings; index 0 is line range[0]. */
  sourceLines: string[]
  content: string
  notes: string
  frontmatter: Record<string, unknown>
  frontmatterErrors: Problem[]
}

export interface Deck {
  root: string
  entry: string
  headmatter: Record<string, unknown>
  slides: DeckSlide[]
}

/** Strips Markdown and HTML from a title so it matches what a PDF's text layer holds. */
export function plainTitle(title: string | undefined): string {
  if (!title)
    return ''
  return title
    .replace(/<[^>]+>/g, '')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__|\*|_)(\S[^*_]*)\1/g, '$2')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The 1-based line of the first source line of `slide` that contains `needle`. */
export function lineOf(slide: Pick<DeckSlide, 'sourceLines' | 'range' | 'line'>, needle: string): number {
  const index = slide.sourceLines.findIndex(text => text.includes(needle))
  return index < 0 ? slide.line : slide.range[0] + index
}

export function describeSlide(slide: Pick<DeckSlide, 'no' | 'title' | 'file' | 'line'>): string {
  return `slide ${slide.no} "${slide.title || '(untitled)'}" (${slide.file}:${slide.line})`
}

/** Reads a deck with Slidev's own parser, following `src:` imports into other files. */
export async function readDeck(entry: string): Promise<Deck> {
  const entryPath = resolve(entry)
  const root = dirname(entryPath)
  const data = await load({
    roots: [root],
    userRoot: root,
    allowedRoots: [root],
  }, entryPath)
  const fileLines = new Map<string, string[]>()
  const linesOf = async (filepath: string): Promise<string[]> => {
    let lines = fileLines.get(filepath)
    if (!lines) {
      lines = (await readFile(filepath, 'utf8')).split('\n')
      fileLines.set(filepath, lines)
    }
    return lines
  }

  const slides: DeckSlide[] = []
  for (const info of data.slides) {
    const frontmatter = (info.frontmatter ?? {}) as Record<string, unknown>
    if (frontmatter.hide || frontmatter.disabled)
      continue
    const source = info.source
    const file = relative(root, source.filepath)
    const lines = await linesOf(source.filepath)
    const first = source.start + 1
    const last = Math.max(first, source.end)
    const sourceLines = lines.slice(first - 1, last)
    // The heading on the slide, not the deck's `title:` that Slidev lends the first slide.
    const title = plainTitle(firstHeading(info.content) ?? info.title)
    const headingIndex = sourceLines.findIndex(text => /^#{1,6}\s/.test(text.trim()))
    const line = headingIndex < 0 ? first : first + headingIndex
    const frontmatterErrors = (source.frontmatterDoc?.errors ?? []).map(error => ({
      file,
      line: first + (error.linePos?.[0]?.line ?? 1),
      message: `malformed frontmatter: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
    }))
    slides.push({
      no: slides.length + 1,
      title,
      file,
      line,
      range: [first, last],
      sourceLines,
      content: info.content,
      notes: (info.note ?? '').trim(),
      frontmatter,
      frontmatterErrors,
    })
  }
  return {
    root,
    entry: relative(root, entryPath),
    headmatter: (data.headmatter ?? {}) as Record<string, unknown>,
    slides,
  }
}
