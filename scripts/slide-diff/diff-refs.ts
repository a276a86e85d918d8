import type { CapturedDeck } from './capture'
import type { DiffReport, DiffSide } from './report'
import type { DiffWorkspace } from './workspace'
import { existsSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import process from 'node:process'
import { buildDeck } from '../core/build-deck'
import { readDeck } from '../core/deck-source'
import { captureDeck } from './capture'
import { compareCaptures, DEFAULT_MIN_CHANGED_RATIO } from './compare'
import { markdownReport } from './report'
import { assertEntryAt, resolveCommit, SlideDiffInputError } from './workspace'

export interface DiffRefsOptions {
  workspace: DiffWorkspace
  base: string
  head: string
  /** The deck's entry, relative to the repository's root. */
  entry: string
  /** The report's folder: replaced as a whole, and only once the report is complete. */
  outDir: string
  chromiumPath: string
  minChangedRatio?: number
  log?: (line: string) => void
}

export class SlideDiffBuildError extends Error {}

async function buildAndCapture(options: DiffRefsOptions, side: DiffSide): Promise<CapturedDeck> {
  const { workspace, log = () => {} } = options
  const { dir, lockDiffers } = await workspace.checkout(side.sha)
  if (lockDiffers)
    log(`note: ${side.ref}'s package-lock.json differs from this checkout's; it is built with this checkout's node_modules`)
  const entry = join(dir, options.entry)
  const deck = await readDeck(entry)
  log(`building ${side.ref} (${side.sha.slice(0, 7)}): ${deck.slides.length} slides`)
  let distDir: string
  try {
    distDir = await buildDeck(entry)
  }
  catch (error) {
    const output = String((error as { all?: string }).all ?? (error as Error).message).trim().split('\n').slice(-12).join('\n')
    throw new SlideDiffBuildError(`slidev build of ${side.ref} (${side.sha.slice(0, 7)}) failed:\n${output}`)
  }
  try {
    log(`screenshotting every slide and click step of ${side.ref}`)
    return await captureDeck({
      distDir,
      deck,
      chromiumPath: options.chromiumPath,
      outDir: await workspace.scratchDir(`capture-${side.sha.slice(0, 12)}`),
    })
  }
  finally {
    await rm(distDir, { recursive: true, force: true })
  }
}

/**
 * Builds the deck at two commits, screenshots both, and writes report.md, report.json and the
 * images of every slide that differs into `outDir`. Nothing is left at `outDir` unless it all
 * worked: the report is assembled beside it and renamed into place.
 */
export async function diffRefs(options: DiffRefsOptions): Promise<DiffReport> {
  const repo = options.workspace.repo
  const outDir = resolve(options.outDir)
  if (existsSync(outDir) && !existsSync(join(outDir, 'report.md')))
    throw new SlideDiffInputError(`${options.outDir} exists and is not a slide-diff report: refusing to replace it`)
  const sides: DiffSide[] = []
  for (const ref of [options.base, options.head]) {
    const sha = await resolveCommit(repo, ref)
    await assertEntryAt(repo, ref, sha, options.entry)
    sides.push({ ref, sha })
  }
  const [base, head] = sides as [DiffSide, DiffSide]
  const before = await buildAndCapture(options, base)
  const after = head.sha === base.sha ? before : await buildAndCapture(options, head)

  await mkdir(dirname(outDir), { recursive: true })
  const partial = `${outDir}.partial-${process.pid}`
  await rm(partial, { recursive: true, force: true })
  try {
    const minChangedRatio = options.minChangedRatio ?? DEFAULT_MIN_CHANGED_RATIO
    const changes = await compareCaptures(before, after, { outDir: partial, minChangedRatio })
    const report: DiffReport = { base, head, minChangedRatio, changes }
    await writeFile(join(partial, 'report.md'), markdownReport(report))
    await writeFile(join(partial, 'report.json'), `${JSON.stringify(report, null, 2)}\n`)
    await rm(outDir, { recursive: true, force: true })
    await rename(partial, outDir)
    return report
  }
  finally {
    await rm(partial, { recursive: true, force: true })
  }
}
