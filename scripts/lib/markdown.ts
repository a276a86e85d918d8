/** Slide content with fenced code blanked out, so code shown on a slide is never mistaken for markup. */
export function withoutCodeFences(content: string): string {
  let fence: string | undefined
  return content.split('\n').map((line) => {
    const marker = line.trim().match(/^(`{3,}|~{3,})/)?.[1]
    if (!fence && marker) {
      fence = marker
      return ''
    }
    if (fence) {
      if (marker && marker.startsWith(fence) && line.trim() === marker)
        fence = undefined
      return ''
    }
    return line
  }).join('\n')
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
