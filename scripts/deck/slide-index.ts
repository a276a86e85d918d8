import type { Deck } from '../core/deck-source'
import { talkPlan } from '../../model/part-timer'
import { componentTags, snippetRunSteps } from '../core/markdown'

// `npm run slides`: one line per slide, to go from "slide 37" or a title to its source.

export interface SlideIndexEntry {
  no: number
  title: string
  /** "opening", "part 3", or "appendix". */
  part: string
  /** file:line of the slide's title. */
  where: string
  layout?: string
  /** The hands-on steps its terminals run (`<SnippetRun step>`). */
  steps: string[]
  /** The project's and Slidev's components it uses (icons left out). */
  components: string[]
}

function partLabels(deck: Pick<Deck, 'slides'>): Map<number, string> {
  const plan = talkPlan(deck.slides)
  const labels = new Map<number, string>()
  plan.parts.forEach((part, index) => {
    const label = part.opener.frontmatter.part !== undefined
      ? `part ${String(part.opener.frontmatter.part)}`
      : index === 0 ? 'opening' : part.title
    for (const slide of part.slides)
      labels.set(slide.no, label)
  })
  for (const slide of plan.appendix)
    labels.set(slide.no, 'appendix')
  return labels
}

export function slideIndex(deck: Pick<Deck, 'slides'>): SlideIndexEntry[] {
  const parts = partLabels(deck)
  return deck.slides.map(slide => ({
    no: slide.no,
    title: slide.title,
    part: parts.get(slide.no) ?? '',
    where: `${slide.file}:${slide.line}`,
    layout: typeof slide.frontmatter.layout === 'string' ? slide.frontmatter.layout : undefined,
    steps: [...new Set(snippetRunSteps(slide.content).map(run => run.step))],
    components: componentTags(slide.content).filter(tag => /^[A-Z]/.test(tag)),
  }))
}

/** Keeps the entries whose number is `query`, or whose title, file or steps contain it (any case). */
export function filterSlideIndex(entries: SlideIndexEntry[], query: string | undefined): SlideIndexEntry[] {
  if (!query)
    return entries
  if (/^\d+$/.test(query))
    return entries.filter(entry => entry.no === Number(query))
  const needle = query.toLowerCase()
  return entries.filter(entry => [entry.title, entry.where, ...entry.steps].some(text => text.toLowerCase().includes(needle)))
}

export function formatSlideIndex(entries: SlideIndexEntry[]): string {
  const width = (pick: (entry: SlideIndexEntry) => string): number => Math.max(0, ...entries.map(entry => pick(entry).length))
  const noWidth = width(entry => String(entry.no))
  const partWidth = width(entry => entry.part)
  const whereWidth = width(entry => entry.where)
  return entries.map((entry) => {
    const uses = [
      ...entry.components.map(name => `<${name}>`),
      ...entry.steps.map(step => `step ${step}`),
    ]
    return [
      String(entry.no).padStart(noWidth),
      entry.part.padEnd(partWidth),
      entry.where.padEnd(whereWidth),
      entry.title || '(untitled)',
      uses.length ? ` [${uses.join(', ')}]` : '',
    ].join('  ').trimEnd()
  }).join('\n')
}
