export interface CodeFence {
  /** The opening line, e.g. ```bash {2-4}. */
  opening: string
  language: string
  /** The first non-blank line inside, if any. */
  firstLine?: string
}

/**
 * Walks a slide's lines, telling `visit` for each whether it is inside a fenced block (the
 * fence lines themselves count as inside), and returns the blocks it found.
 */
function scanFences(content: string, visit: (line: string, inFence: boolean) => void = () => {}): CodeFence[] {
  const fences: CodeFence[] = []
  let fence: string | undefined
  let current: CodeFence | undefined
  for (const line of content.split('\n')) {
    const marker = line.trim().match(/^(`{3,}|~{3,})/)?.[1]
    if (!fence && marker) {
      fence = marker
      current = {
        opening: line,
        language: line.trim().slice(marker.length).trim().split(/[\s{]/)[0]!.toLowerCase(),
      }
      fences.push(current)
      visit(line, true)
      continue
    }
    if (fence) {
      if (marker && marker.startsWith(fence) && line.trim() === marker)
        fence = undefined
      else if (current && current.firstLine === undefined && line.trim() !== '')
        current.firstLine = line.trim()
      visit(line, true)
      continue
    }
    visit(line, false)
  }
  return fences
}

/** Slide content with fenced code blanked out, so code shown on a slide is never mistaken for markup. */
export function withoutCodeFences(content: string): string {
  const lines: string[] = []
  scanFences(content, (line, inFence) => lines.push(inFence ? '' : line))
  return lines.join('\n')
}

/** The fenced code blocks of a slide. */
export function codeFences(content: string): CodeFence[] {
  return scanFences(content)
}

/** Every `<SnippetRun step="…">` on a slide (outside code), with the tag text that names it. */
export function snippetRunSteps(content: string): { step: string, tag: string }[] {
  return [...withoutCodeFences(content).matchAll(/<SnippetRun\b[^>]*?\sstep="([^"]+)"/g)]
    .map(match => ({ step: match[1]!, tag: match[0] }))
}

export function countMermaidBlocks(content: string): number {
  return (content.match(/^\s*(`{3,}|~{3,})mermaid\b/gm) ?? []).length
}

/** The first heading of a slide, outside fenced code. */
export function firstHeading(content: string): string | undefined {
  for (const line of withoutCodeFences(content).split('\n')) {
    const match = line.match(/^#{1,6}\s(.*)$/)
    if (match)
      return match[1]!.trim()
  }
  return undefined
}

/** Letters and digits only, so Markdown marks, typographic quotes and spacing don't get in the way. */
export function comparableText(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()
}

/** Vue component and icon tags in a slide's markup (code fences left out), each once, in order. */
export function componentTags(content: string): string[] {
  const tags = [
    ...withoutCodeFences(content).matchAll(/<([A-Z]\w*|[a-z][a-z0-9]*(?:-[a-z0-9]+)+)(?=[\s/>])/g),
  ].map(match => match[1]!)
  return [...new Set(tags)]
}
