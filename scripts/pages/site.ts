import type { Deck } from '../core/deck-source'
import { exportFileName } from '../../model/attendee-links'

/** Bad input to the site build: a base that is not a path, a file to publish that is missing. */
export class SiteInputError extends Error {}

/**
 * The path GitHub Pages serves a repository's site under: `/<name>/` for a project site,
 * `/` for the owner's own `<owner>.github.io` site. (A custom domain serves at `/` too: pass
 * `--base /` then.)
 */
export function pagesBase(repository: string): string {
  const match = /^[\w.-]+\/([\w.-]+)$/.exec(repository)
  if (!match)
    throw new SiteInputError(`${repository}: give the repository as owner/name (GITHUB_REPOSITORY on GitHub)`)
  const name = match[1]!
  return name.toLowerCase().endsWith('.github.io') ? '/' : `/${name}/`
}

export function checkBase(base: string): string {
  if (!/^\/(?:(?!\.+\/)[\w.-]+\/)*$/.test(base))
    throw new SiteInputError(`--base ${base}: a path that starts and ends with "/", such as /my-deck/`)
  return base
}

/**
 * The pages a visitor may open directly: one per slide number and `routeAlias`, each a copy of
 * the deck's page, so GitHub Pages answers a deep link (`/<name>/12`, served from `12.html`)
 * with 200. Anything else (presenter mode, the overview) gets Slidev's 404.html, which is the
 * deck's page too: it loads, with status 404.
 */
export function slidePageNames(deck: Pick<Deck, 'slides'>): string[] {
  const names = deck.slides.map(slide => String(slide.no))
  for (const slide of deck.slides) {
    const alias = slide.frontmatter.routeAlias
    if (typeof alias === 'string' && /^[\w-]+$/.test(alias))
      names.push(alias)
  }
  return names
}

export interface Download {
  label: string
  /** The file's name in the site. */
  href: string
  bytes: number
}

/** What a published file is, from its name: the PDFs the exports write are named after the deck. */
export function downloadLabel(file: string, exportFilename: unknown): string {
  const labels: Array<[string, string]> = [
    ['', 'Slides (PDF, one page per slide)'],
    ['-handout', 'Handout (PDF: each slide with its speaker notes)'],
    ['-cheat-sheet', 'Cheat sheet (PDF, one page)'],
  ]
  return labels.find(([suffix]) => exportFileName(exportFilename, suffix) === file)?.[1] ?? file
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} kB`
}

export interface LandingPage {
  title: string
  description: string
  slides: number
  downloads: Download[]
  /** The commit the site was built from, if known. */
  commit?: string
}

/**
 * The site's front page: the deck's title, a link into the deck, and its PDFs. Plain HTML with
 * relative links (so it works under any base) and no request beyond the site.
 */
export function landingPage(page: LandingPage): string {
  const items = page.downloads.map(download => `      <li><a href="${escapeHtml(download.href)}">${escapeHtml(download.label)}</a> <span class="size">${size(download.bytes)}</span></li>`)
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(page.title)}</title>
  <link rel="icon" href="data:,">
  <style>
    body { font: 18px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #1f2328; }
    h1 { font-size: 2rem; line-height: 1.2; }
    .open { display: inline-block; margin: 1rem 0 2rem; padding: .6rem 1.2rem; border-radius: .4rem; background: #0b5cad; color: #fff; text-decoration: none; font-weight: 600; }
    .size, footer { color: #59636e; font-size: .9em; }
  </style>
</head>
<body>
  <main>
    <h1>${escapeHtml(page.title)}</h1>
    <p>${escapeHtml(page.description)}</p>
    <a class="open" href="1">Open the deck (${page.slides} slides)</a>
    <p>Presenter mode, with the speaker notes: <a href="presenter/1">presenter/1</a>. Press <kbd>o</kbd> in the deck for an overview of every slide.</p>
${items.length ? `    <h2>Downloads</h2>\n    <ul>\n${items.join('\n')}\n    </ul>\n` : ''}  </main>
${page.commit ? `  <footer>Built from commit ${escapeHtml(page.commit.slice(0, 12))}.</footer>\n` : ''}</body>
</html>
`
}
