import { existsSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { findLocalChromium } from '../../scripts/core/chromium'
import { readDeck } from '../../scripts/core/deck-source'
import { ExportCheckError, exportDeck, pdfFileName } from '../../scripts/export/export-deck'
import { readPdfFacts } from '../../scripts/export/pdf-check'

const repo = fileURLToPath(new URL('../..', import.meta.url))

describe('the attendee PDF', () => {
  it('exports one checked page per slide, with selectable titles and a section outline', async () => {
    const deck = await readDeck(join(repo, 'slides.md'))
    const output = join(await mkdtemp(join(tmpdir(), 'export-test-')), pdfFileName(deck))
    const chromium = await findLocalChromium()
    await exportDeck({ deck, chromiumPath: chromium.path, output })
    const facts = await readPdfFacts(output)
    expect(facts.pages).toBe(deck.slides.length)
    expect(facts.uniformPages).toEqual([])
    expect(facts.outlineTitles).toContain('The container model')
    expect(facts.outlineTitles).toContain('Hands-on on kind')
    expect(facts.pageTexts[0]).toContain('What really happens at startup')
  }, 180_000)

  it('writes nothing, and removes a stale PDF, when the export fails its checks', async () => {
    const deck = await readDeck(join(repo, 'test/fixtures/two-slides/slides.md'))
    // Claim a third slide the export cannot produce: the page count check must refuse the PDF.
    const expectsThree = {
      ...deck,
      slides: [...deck.slides, { ...deck.slides[1]!, no: 3, title: 'A third slide' }],
    }
    const output = join(await mkdtemp(join(tmpdir(), 'export-test-')), 'two-slides.pdf')
    await writeFile(output, 'a stale PDF from an earlier run')
    const chromium = await findLocalChromium()
    const failure = await exportDeck({ deck: expectsThree, chromiumPath: chromium.path, output }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(ExportCheckError)
    expect((failure as ExportCheckError).problems).toContain('the PDF has 2 pages, the deck has 3 slides')
    expect(existsSync(output)).toBe(false)
  }, 120_000)

  it('refuses to export a deck with source problems, naming file and line', async () => {
    const result = await execa('tsx', ['scripts/export.ts', '--entry', 'test/fixtures/bad-input/missing-snippet.md'], { cwd: repo, preferLocal: true, reject: false })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('missing-snippet.md:15: snippet not found: @/snippets/absent.sh')
    expect(existsSync(join(repo, 'test/fixtures/bad-input/slides-export.pdf'))).toBe(false)
  })

  it('is named after the talk', async () => {
    expect(pdfFileName(await readDeck(join(repo, 'slides.md')))).toBe('what-really-happens-at-startup.pdf')
  })

  it('stops with advice, not a stack trace, when no Chromium can be found', async () => {
    const result = await execa('tsx', ['scripts/export.ts'], {
      cwd: repo,
      preferLocal: true,
      reject: false,
      env: { CHROMIUM_PATH: '/nonexistent/chromium' },
    })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('CHROMIUM_PATH is set to /nonexistent/chromium')
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })
})
