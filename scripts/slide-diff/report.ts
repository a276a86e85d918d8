import type { SlideChange, Verdict } from './compare'
import type { SlideFingerprint } from './fingerprint'

export interface DiffSide {
  /** The ref as given, e.g. origin/main. */
  ref: string
  sha: string
}

export interface DiffReport {
  base: DiffSide
  head: DiffSide
  minChangedRatio: number
  changes: SlideChange[]
}

const ORDER: Verdict[] = ['changed', 'added', 'removed', 'moved']

export function counts(changes: readonly SlideChange[]): Record<Verdict, number> {
  const result: Record<Verdict, number> = {
    changed: 0,
    added: 0,
    removed: 0,
    moved: 0,
    unchanged: 0,
  }
  for (const change of changes)
    result[change.verdict]++
  return result
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}

function where(slide: SlideFingerprint | undefined): string {
  return slide ? `${slide.no}` : '–'
}

function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(2))}%`
}

function detail(change: SlideChange): string {
  const parts: string[] = []
  if (change.verdict === 'added') {
    parts.push(change.clickSteps.after > 1
      ? `new slide, ${change.clickSteps.after - 1} click(s)`
      : 'new slide')
  }
  else if (change.verdict === 'removed') {
    parts.push('slide removed')
  }
  else if (change.verdict === 'moved') {
    parts.push(`moved from slide ${change.before!.no}, looks the same`)
  }
  if (change.verdict === 'changed') {
    if (change.clickSteps.before !== change.clickSteps.after)
      parts.push(`clicks ${change.clickSteps.before - 1} → ${change.clickSteps.after - 1}`)
    const compared = change.states.filter(state => state.diff)
    if (compared.length)
      parts.push(compared.map(state => `click ${state.clicks}: ${percent(state.ratio)} of pixels`).join(', '))
    if (change.match === 'edited' && change.before!.title !== change.after!.title)
      parts.push(`retitled from "${change.before!.title || '(untitled)'}"`)
  }
  if (change.notesChanged)
    parts.push('speaker notes changed')
  return parts.join('; ')
}

function images(change: SlideChange): string {
  return change.states
    .flatMap(state => [state.before, state.after, state.diff].filter((file): file is string => !!file))
    .map(file => `\`${file}\``)
    .join(' ')
}

/** The report as Markdown, fit for a GitHub job summary: counts first, then one row per slide that differs. */
export function markdownReport(report: DiffReport): string {
  const n = counts(report.changes)
  const short = (side: DiffSide) => `\`${side.ref}\` (${side.sha.slice(0, 7)})`
  const lines = [`## Slide diff: ${short(report.base)} → ${short(report.head)}`, '']
  const differing = report.changes.filter(change => change.verdict !== 'unchanged')
  const notesOnly = report.changes.filter(change => change.verdict === 'unchanged' && change.notesChanged)
  const summary = ORDER.filter(verdict => n[verdict]).map(verdict => `${n[verdict]} ${verdict}`)
  lines.push(summary.length
    ? `${summary.join(', ')}; ${n.unchanged} unchanged (a slide counts as changed when more than ${percent(report.minChangedRatio)} of its pixels differ at some click step).`
    : `No slide changed: all ${n.unchanged} look the same at every click step (threshold ${percent(report.minChangedRatio)} of pixels).`)
  if (differing.length || notesOnly.length) {
    lines.push('', '| | Slide (base → head) | Title | What differs | Images |', '|---|---|---|---|---|')
    for (const change of [...differing, ...notesOnly]) {
      const slide = change.after ?? change.before!
      const label = change.verdict === 'unchanged' ? 'notes' : change.verdict
      lines.push(`| ${label} | ${where(change.before)} → ${where(change.after)} | ${cell(slide.title || '(untitled)')} (\`${slide.file}:${slide.line}\`) | ${cell(detail(change))} | ${images(change)} |`)
    }
  }
  lines.push('', 'Images are the slide canvas in light mode: `.before.png`, `.after.png`, and `.diff.png` with the differing pixels in red.', '')
  return lines.join('\n')
}
