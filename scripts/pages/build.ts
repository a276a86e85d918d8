import type { Deck } from '../core/deck-source'
import type { Download } from './site'
import { existsSync } from 'node:fs'
import { copyFile, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import process from 'node:process'
import { execa } from 'execa'
import { downloadLabel, landingPage, SiteInputError, slidePageNames } from './site'

export class SiteBuildError extends Error {}

export interface SiteOptions {
  deck: Deck
  base: string
  /** The site's folder: replaced as a whole once the site is complete. */
  outDir: string
  /** Files to publish beside the deck and list on the front page (the checked PDFs). */
  downloads: string[]
  commit?: string
}

/**
 * Slidev's build under `base`, then what GitHub Pages needs around it: the deck's page copied to
 * one page per slide, the 404.html fallback (Slidev writes it; made here if it did not),
 * `.nojekyll` (Jekyll would drop files whose names start with `_`), the downloads, and the front
 * page. Built beside `outDir` and renamed into place, so a failed build leaves no half a site.
 */
export async function buildSite(options: SiteOptions): Promise<{ dir: string, downloads: Download[] }> {
  for (const file of options.downloads) {
    if (!existsSync(file))
      throw new SiteInputError(`--with ${file}: no such file (export it first, e.g. npm run export)`)
  }
  const outDir = resolve(options.outDir)
  const partial = `${outDir}.partial-${process.pid}`
  await rm(partial, { recursive: true, force: true })
  try {
    const slidev = await execa('slidev', [
      'build',
      options.deck.entry,
      '--base',
      options.base,
      '--out',
      partial,
    ], {
      cwd: options.deck.root,
      preferLocal: true,
      all: true,
      reject: false,
      env: { FORCE_COLOR: '0' },
    })
    if (slidev.failed)
      throw new SiteBuildError(`slidev build failed (${slidev.shortMessage}):\n${(slidev.all ?? '').trim().split('\n').slice(-15).join('\n')}`)
    const deckPage = await readFile(join(partial, 'index.html'))
    for (const name of slidePageNames(options.deck))
      await writeFile(join(partial, `${name}.html`), deckPage)
    if (!existsSync(join(partial, '404.html')))
      await writeFile(join(partial, '404.html'), deckPage)
    await writeFile(join(partial, '.nojekyll'), '')
    const downloads: Download[] = []
    for (const file of options.downloads) {
      const href = basename(file)
      await copyFile(file, join(partial, href))
      downloads.push({
        href,
        label: downloadLabel(href, options.deck.headmatter.exportFilename),
        bytes: (await stat(file)).size,
      })
    }
    const title = String(options.deck.headmatter.title ?? options.deck.slides[0]?.title ?? 'Slides')
    await writeFile(join(partial, 'index.html'), landingPage({
      title,
      description: String(options.deck.headmatter.info ?? '').trim(),
      slides: options.deck.slides.length,
      downloads,
      commit: options.commit,
    }))
    await rm(outDir, { recursive: true, force: true })
    await rename(partial, outDir)
    return { dir: outDir, downloads }
  }
  finally {
    await rm(partial, { recursive: true, force: true })
  }
}
