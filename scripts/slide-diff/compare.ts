import type { CapturedDeck, CapturedSlide } from './capture'
import type { SlideFingerprint } from './fingerprint'
import type { SlideMatch } from './match'
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { matchSlides } from './match'
import { comparePngs } from './pixels'

/**
 * The share of a slide's pixels that must differ, at some click step, for it to count as changed:
 * 0.05% of 980×552 is about 270 pixels, a few characters. Below it is rendering noise.
 */
export const DEFAULT_MIN_CHANGED_RATIO = 0.0005

export type Verdict = 'changed' | 'added' | 'removed' | 'moved' | 'unchanged'

export interface StateDiff {
  clicks: number
  /** Share of differing pixels; 1 for a click step on one side only. */
  ratio: number
  /** Image files, relative to the report's folder. */
  before?: string
  after?: string
  diff?: string
}

export interface SlideChange {
  verdict: Verdict
  match: SlideMatch['kind']
  before?: SlideFingerprint
  after?: SlideFingerprint
  clickSteps: { before: number, after: number }
  /** Every click step that differs beyond the threshold (or exists on one side only). */
  states: StateDiff[]
  notesChanged: boolean
}

export interface CompareOptions {
  /** The report's folder; images go to its images/ folder. */
  outDir: string
  minChangedRatio?: number
}

function imageName(side: 'before' | 'after' | 'diff', slide: SlideFingerprint, clicks: number, removed: boolean): string {
  const id = `${removed ? 'removed-' : ''}${String(slide.no).padStart(3, '0')}`
  return join('images', `slide-${id}-click-${clicks}.${side}.png`)
}

async function keep(outDir: string, source: string, name: string): Promise<string> {
  await copyFile(source, join(outDir, name))
  return name
}

async function compareSlide(match: SlideMatch, before: CapturedSlide | undefined, after: CapturedSlide | undefined, options: Required<CompareOptions>): Promise<SlideChange> {
  const change: SlideChange = {
    verdict: 'unchanged',
    match: match.kind,
    before: before?.fingerprint,
    after: after?.fingerprint,
    clickSteps: { before: before?.states.length ?? 0, after: after?.states.length ?? 0 },
    states: [],
    notesChanged: !!before && !!after && before.fingerprint.notes !== after.fingerprint.notes,
  }
  const removed = !after
  const named = (after ?? before)!.fingerprint
  const steps = Math.max(change.clickSteps.before, change.clickSteps.after)
  for (let i = 0; i < steps; i++) {
    const was = before?.states[i]
    const is = after?.states[i]
    const clicks = (is ?? was)!.clicks
    if (was && is) {
      const pixels = comparePngs(await readFile(was.file), await readFile(is.file))
      if (pixels.ratio < options.minChangedRatio)
        continue
      const diff = imageName('diff', named, clicks, removed)
      await writeFile(join(options.outDir, diff), pixels.diffPng)
      change.states.push({
        clicks,
        ratio: pixels.ratio,
        before: await keep(options.outDir, was.file, imageName('before', named, clicks, removed)),
        after: await keep(options.outDir, is.file, imageName('after', named, clicks, removed)),
        diff,
      })
    }
    else {
      change.states.push({
        clicks,
        ratio: 1,
        before: was && await keep(options.outDir, was.file, imageName('before', named, clicks, removed)),
        after: is && await keep(options.outDir, is.file, imageName('after', named, clicks, removed)),
      })
    }
  }
  if (!before)
    change.verdict = 'added'
  else if (!after)
    change.verdict = 'removed'
  else if (change.states.length)
    change.verdict = 'changed'
  else if (match.kind === 'moved')
    change.verdict = 'moved'
  return change
}

/** Matches the two decks' slides by content and compares each pair's click steps pixel by pixel. */
export async function compareCaptures(before: CapturedDeck, after: CapturedDeck, options: CompareOptions): Promise<SlideChange[]> {
  const resolved: Required<CompareOptions> = { minChangedRatio: DEFAULT_MIN_CHANGED_RATIO, ...options }
  await mkdir(join(resolved.outDir, 'images'), { recursive: true })
  const matches = matchSlides(before.slides.map(slide => slide.fingerprint), after.slides.map(slide => slide.fingerprint))
  const changes: SlideChange[] = []
  for (const match of matches) {
    changes.push(await compareSlide(
      match,
      'before' in match ? before.slides[match.before.no - 1] : undefined,
      'after' in match ? after.slides[match.after.no - 1] : undefined,
      resolved,
    ))
  }
  return changes
}
