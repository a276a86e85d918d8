import { appendFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ChromiumNotFoundError, findLocalChromium } from './core/chromium'
import { CliError, onStopSignal, runCli, stopExitCode } from './core/cli'
import { diffRefs, SlideDiffBuildError } from './slide-diff/diff-refs'
import { counts } from './slide-diff/report'
import { DiffWorkspace, SlideDiffInputError } from './slide-diff/workspace'

// npm run diff -- <base-ref> [<head-ref>] [--out DIR] [--threshold RATIO] [--entry slides.md] [--summary FILE]
// What a change does to the slides: both commits built and screenshotted, slides matched by
// content, a Markdown report with before/after/diff images. Rules: scripts/slide-diff/README.md.
// Exit status: 0 report written (whatever it found), 2 bad input, 1 a build or browser failure.

const USAGE = 'usage: npm run diff -- <base-ref> [<head-ref>] [--out DIR] [--threshold RATIO] [--summary FILE]'

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string', default: 'tmp/slide-diff' },
      entry: { type: 'string', default: 'slides.md' },
      threshold: { type: 'string' },
      summary: { type: 'string' },
      repo: {
        type: 'string',
        default: process.cwd(),
      },
    },
  })
  if (positionals.length < 1 || positionals.length > 2)
    throw new CliError(USAGE)
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold)
  if (threshold !== undefined && !(threshold >= 0 && threshold < 1))
    throw new CliError(`--threshold ${values.threshold}: give the share of pixels that must differ, between 0 and 1 (e.g. 0.0005)`)

  const projectRoot = fileURLToPath(new URL('..', import.meta.url))
  const workspace = new DiffWorkspace(values.repo, join(projectRoot, 'node_modules'))
  onStopSignal((signal) => {
    workspace.disposeSync()
    process.exit(stopExitCode(signal))
  })
  try {
    const report = await diffRefs({
      workspace,
      base: positionals[0]!,
      head: positionals[1] ?? 'HEAD',
      entry: values.entry,
      outDir: values.out,
      chromiumPath: (await findLocalChromium()).path,
      minChangedRatio: threshold,
      log: line => console.log(line),
    })
    const n = counts(report.changes)
    console.log(`slide diff: ${n.changed} changed, ${n.added} added, ${n.removed} removed, ${n.moved} moved, ${n.unchanged} unchanged; report in ${join(values.out, 'report.md')}`)
    if (values.summary)
      await appendFile(values.summary, await readFile(join(values.out, 'report.md'), 'utf8'))
    return 0
  }
  catch (error) {
    // Told once the workspace is cleaned up (the finally below), which process.exit would skip.
    if (error instanceof SlideDiffInputError || error instanceof SlideDiffBuildError || error instanceof ChromiumNotFoundError) {
      throw new CliError(`npm run diff: ${error.message}`, error instanceof SlideDiffInputError ? 2 : 1)
    }
    throw error
  }
  finally {
    await workspace.dispose()
  }
}

await runCli(main)
