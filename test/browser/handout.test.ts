import { existsSync } from 'node:fs'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { PDFDocument } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { findLocalChromium } from '../../scripts/core/chromium'
import { readDeck } from '../../scripts/core/deck-source'
import { CheatSheetSourceError, exportCheatSheet } from '../../scripts/export/cheat-sheet'
import { pdfFileName } from '../../scripts/export/export-deck'
import { exportHandout, HandoutSourceError, planHandout } from '../../scripts/export/handout'
import { CHEAT_SHEET_MIN_PT } from '../../scripts/export/paper'
import { readPdfFacts } from '../../scripts/export/pdf-check'
import { readTextRuns, smallestPerPage } from '../../scripts/export/pdf-text-sizes'

// The handout and the cheat sheet exported from this deck for real, with the project's Chromium:
// the exports' own gates passed (they throw otherwise); here, what an attendee gets.

const repo = fileURLToPath(new URL('../..', import.meta.url))
const mm = (pt: number): number => pt * 25.4 / 72

describe('the handout', () => {
  it('prints every slide with its notes under it, checked, outlined, on a sheet A4 and Letter share', async () => {
    const deck = await readDeck(join(repo, 'slides.md'))
    const output = join(await mkdtemp(join(tmpdir(), 'handout-test-')), pdfFileName(deck, '-handout'))
    await exportHandout({ deck, chromiumPath: (await findLocalChromium()).path, output })
    const facts = await readPdfFacts(output)
    expect(facts.pages).toBe(deck.slides.length)
    expect(facts.uniformPages).toEqual([])
    expect(facts.outlineTitles).toEqual(expect.arrayContaining(['The container model', 'Hands-on on kind', 'Appendix']))
    const document = await PDFDocument.load(await readFile(output))
    const { width, height } = document.getPage(0).getSize()
    // Chromium sizes its pages in whole CSS pixels: 210 mm prints 209.9 mm wide.
    expect(mm(width)).toBeCloseTo(210, 0)
    expect(mm(height)).toBeCloseTo(279.4, 1)
    // A hands-on page: its notes, without the run instructions and without the time mark.
    const plan = planHandout(deck.slides)
    const handsOn = deck.slides.find(slide => slide.title.startsWith('Default install'))!
    const page = facts.pageTexts[handsOn.no - 1]!
    expect(page).toContain(plan.pages[handsOn.no - 1]!.caption)
    expect(page).toMatch(/Point at the order/)
    expect(page).not.toMatch(/run control|Staged on|\(\d+(?:\.\d+)? min\)/)
    // Notes are typeset at 11 pt (Chromium writes them glyph by glyph).
    const notesSizes = (await readTextRuns(await readFile(output))).filter(run => run.page === handsOn.no && run.pt > 10).map(run => run.pt)
    expect(notesSizes.length).toBeGreaterThan(100)
    expect(Math.min(...notesSizes)).toBeCloseTo(11, 1)
  }, 240_000)

  it('refuses a deck whose slide would print with no notes under it, before printing anything', async () => {
    const deck = await readDeck(join(repo, 'test/fixtures/two-slides/slides.md'))
    const staged = {
      ...deck,
      slides: deck.slides.map(slide => slide.no === 2
        ? { ...slide, notes: 'Staged: a/01-x. On stage: run a/02-y. (1 min)' }
        : slide),
    }
    const output = join(await mkdtemp(join(tmpdir(), 'handout-test-')), 'two.pdf')
    const failure = await exportHandout({ deck: staged, chromiumPath: '/nonexistent/chromium', output }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(HandoutSourceError)
    expect((failure as Error).message).toContain('slide 2 "Second of two" (slides.md:')
    expect(existsSync(output)).toBe(false)
  })
})

describe('the cheat sheet', () => {
  it('is one landscape page whose smallest type prints at no less than 9.5 pt', async () => {
    const deck = await readDeck(join(repo, 'slides.md'))
    const output = join(await mkdtemp(join(tmpdir(), 'cheat-sheet-test-')), pdfFileName(deck, '-cheat-sheet'))
    const result = await exportCheatSheet({ deck, chromiumPath: (await findLocalChromium()).path, output })
    const facts = await readPdfFacts(output)
    expect(facts.pages).toBe(1)
    expect(facts.uniformPages).toEqual([])
    expect(facts.outlineTitles).toEqual([result.slide.title])
    expect(facts.pageTexts[0]).toContain('linkerd check --proxy --namespace')
    const bytes = await readFile(output)
    const { width, height } = (await PDFDocument.load(bytes)).getPage(0).getSize()
    expect([mm(width), mm(height)].map(value => Math.round(value * 10) / 10)).toEqual([279.4, 210])
    const smallest = smallestPerPage(await readTextRuns(bytes)).get(1)!
    expect(smallest).toBeGreaterThanOrEqual(CHEAT_SHEET_MIN_PT)
    expect(result.smallestPt).toBeCloseTo(smallest)
  }, 240_000)

  it('refuses a deck with no cheat sheet slide', async () => {
    const deck = await readDeck(join(repo, 'test/fixtures/two-slides/slides.md'))
    const failure = await exportCheatSheet({
      deck,
      chromiumPath: '/nonexistent/chromium',
      output: join(tmpdir(), 'never.pdf'),
    }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(CheatSheetSourceError)
  })

  it('stops with advice, not a stack trace, when no Chromium can be found (both commands)', async () => {
    for (const script of ['scripts/export-handout.ts', 'scripts/export-cheat-sheet.ts']) {
      const result = await execa('tsx', [script], {
        cwd: repo,
        preferLocal: true,
        reject: false,
        env: { CHROMIUM_PATH: '/nonexistent/chromium' },
      })
      expect(result.exitCode, script).toBe(1)
      expect(result.stderr).toContain('CHROMIUM_PATH is set to /nonexistent/chromium')
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
  })
})
