import type { Box, HandoutLayout } from './paper'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { escapeHtml, inlineHtml } from './handout-notes'

// The handout's text pages, before the slides are placed on them: per slide, one page with a
// frame where the slide will go, the caption, and the notes. Chromium prints this; pdf-lib then
// draws each slide's own printed page into its frame (scripts/export/place-slides.ts).

export interface HandoutPage {
  /** "Slide 12 of 63 · The networking model". */
  caption: string
  /** Paragraphs of notes, Markdown inline marks kept (see handout-notes.ts). */
  paragraphs: string[]
}

export interface HandoutDocument {
  title: string
  layout: HandoutLayout
  pages: HandoutPage[]
  /** @font-face rules (the deck's own fonts, embedded); empty leaves the system's fonts. */
  fontFaces: string
}

const mm = (value: number): string => `${Number(value.toFixed(3))}mm`

function place(box: Box): string {
  return `left:${mm(box.x)};top:${mm(box.y)};width:${mm(box.width)};height:${mm(box.height)}`
}

export function handoutHtml(document: HandoutDocument): string {
  const { layout } = document
  const frame: Box = {
    x: layout.slide.x - 0.3,
    y: layout.slide.y - 0.3,
    width: layout.slide.width + 0.6,
    height: layout.slide.height + 0.6,
  }
  const pages = document.pages.map((page, index) => `<section class="page" data-page="${index + 1}">
<div class="frame" style="${place(frame)}"></div>
<div class="caption" style="${place(layout.caption)}">${escapeHtml(page.caption)}</div>
<div class="notes" style="${place(layout.notes)}">
${page.paragraphs.map(paragraph => `<p>${inlineHtml(paragraph)}</p>`).join('\n')}
</div>
</section>`).join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(document.title)}</title>
<style>
${document.fontFaces}
@page { size: ${mm(layout.page.widthMm)} ${mm(layout.page.heightMm)}; margin: 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #fff; color: #111827; }
body { font-family: Inter, 'Helvetica Neue', Arial, sans-serif; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.page { position: relative; width: ${mm(layout.page.widthMm)}; height: ${mm(layout.page.heightMm)}; overflow: hidden; break-after: page; }
.page:last-child { break-after: auto; }
.page > div { position: absolute; }
.frame { border: 0.3mm solid #9ca3af; }
.caption { font-size: 9pt; line-height: 6mm; color: #4b5563; border-bottom: 0.2mm solid #d1d5db; }
.notes { font-size: ${layout.notesPt}pt; line-height: 1.45; overflow: hidden; hyphens: manual; }
.notes p { margin: 0 0 0.55em; }
code { font-family: 'Fira Code', Menlo, Consolas, monospace; font-size: 0.92em; }
</style>
</head>
<body>
${pages}
</body>
</html>
`
}

/** The deck's fonts (Inter, Fira Code, from @fontsource) as @font-face rules with the files inline. */
export async function deckFontFaces(): Promise<string> {
  const require = createRequire(import.meta.url)
  const faces = [
    { family: 'Inter', file: '@fontsource/inter/files/inter-latin-400-normal.woff2', weight: 400 },
    { family: 'Inter', file: '@fontsource/inter/files/inter-latin-600-normal.woff2', weight: 600 },
    { family: 'Inter', file: '@fontsource/inter/files/inter-latin-700-normal.woff2', weight: 700 },
    { family: 'Fira Code', file: '@fontsource/fira-code/files/fira-code-latin-400-normal.woff2', weight: 400 },
  ]
  const rules = await Promise.all(faces.map(async (face) => {
    const data = (await readFile(require.resolve(face.file))).toString('base64')
    return `@font-face { font-family: '${face.family}'; font-weight: ${face.weight}; font-style: normal; src: url(data:font/woff2;base64,${data}) format('woff2'); }`
  }))
  return rules.join('\n')
}

/** Runs in the page: the pages whose notes do not fit in their box. */
export function overflowingNotes(): number[] {
  return [...document.querySelectorAll<HTMLElement>('.page')]
    .filter((page) => {
      const notes = page.querySelector<HTMLElement>('.notes')
      return !!notes && notes.scrollHeight > notes.clientHeight + 1
    })
    .map(page => Number(page.dataset.page))
}
