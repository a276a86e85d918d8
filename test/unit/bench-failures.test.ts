import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { afterAll, describe, expect, it } from 'vitest'
import { launchBrowser, SlideNeverPaintedError, stepThrough, withServedDeck } from '../../scripts/bench/browser'
import { DeckBuildError, timedBuild } from '../../scripts/bench/build'
import { findLocalChromium } from '../../scripts/core/chromium'

// The bench's failure paths, on tiny fixture decks: each must stop the bench with a message that
// names the deck or the slide, never hang or report a figure. Real builds and a real Chromium.
const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/bench/${name}/slides.md`, import.meta.url))
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const scratch = await mkdtemp(join(tmpdir(), 'bench-failures-'))

afterAll(() => rm(scratch, { recursive: true, force: true }))

describe('the bench fails cleanly', () => {
  it('when a deck does not build, with Slidev\'s own error', async () => {
    const build = timedBuild(fixture('broken-build'), join(scratch, 'broken'))
    await expect(build).rejects.toThrow(DeckBuildError)
    await expect(build).rejects.toThrow(/broken-build\/slides\.md does not build \(slidev build: [\s\S]*Its last output:/)
  }, 60_000)

  it('when a slide never paints, naming the slide and what it waits for', async () => {
    const dist = join(scratch, 'stalled')
    await timedBuild(fixture('stalled-slide'), dist)
    const browser = await launchBrowser((await findLocalChromium()).path)
    try {
      const slides = [{ no: 1, title: 'Paints at once' }, { no: 2, title: 'Never paints' }]
      const walk = withServedDeck(dist, origin => stepThrough(browser, origin, slides, { chromiumPath: '', stepTimeoutMs: 2_000, warmUpMs: 0 }, new Set()))
      await expect(walk).rejects.toThrow(SlideNeverPaintedError)
      await expect(walk).rejects.toThrow('after slide 1, click 0, slide 2 (Never paints) was not painted within 2 s of the key press: waiting for slide 2\'s layout has not mounted')
    }
    finally {
      await browser.close()
    }
  }, 60_000)

  it('when the starter cannot be found: `npm run bench` stops before building anything, and writes no result', async () => {
    const output = join(scratch, 'result.json')
    const run = await execa('tsx', ['scripts/bench.ts', '--output', output], {
      cwd: root,
      preferLocal: true,
      reject: false,
      env: {
        BENCH_STARTER: join(scratch, 'no-starter-here'),
      },
    })
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toContain(`BENCH_STARTER is set to ${join(scratch, 'no-starter-here')}, but there is no slides.md there`)
    expect(run.stdout).not.toMatch(/build \d/)
    await expect(execa('test', ['-e', output])).rejects.toThrow()
  }, 30_000)
})
