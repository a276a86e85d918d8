import type { StepResult } from './core/test-summary'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { execa } from 'execa'
import { runCli } from './core/cli'
import { countVitest, failedTestNames, summaryLine } from './core/test-summary'

// npm test: the npm scripts a person runs, one after the other, then a summary ending in
// "N passed, N failed" (each vitest test counted on its own). Every step runs even when an
// earlier one fails, so one run shows everything that is wrong.

const checks: Array<{ name: string, script: string }> = [
  { name: 'deck source (snippets, images, components, frontmatter, notes)', script: 'check:deck' },
  { name: 'snippets, static (scenarios, shellcheck, Kubernetes and kind schemas, annotations, pins, slide coverage)', script: 'check:snippets' },
  { name: 'GitHub workflows (schema, pinned actions, run: blocks through shellcheck, paths that exist)', script: 'check:workflows' },
  { name: 'typecheck (vue-tsc: components, model, setup, scripts, tests)', script: 'typecheck' },
  { name: 'lint (eslint, @antfu/eslint-config)', script: 'lint' },
]

const suites: Array<{ name: string, script: string }> = [
  { name: 'unit tests (vitest)', script: 'test:unit' },
  { name: 'browser tests (vitest)', script: 'test:browser' },
]

function npmRun(script: string, extraArgs: string[] = []) {
  return execa('npm', [
    'run',
    script,
    ...(extraArgs.length ? ['--', ...extraArgs] : []),
  ], { stdio: 'inherit', reject: false })
}

/** A vitest suite through its npm script, counted test by test from its JSON report. */
async function runSuite(suite: { name: string, script: string }): Promise<{ result: StepResult, failedTests: string[] }> {
  const reportFile = join(await mkdtemp(join(tmpdir(), 'vitest-report-')), 'report.json')
  const { exitCode } = await npmRun(suite.script, ['--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`])
  const report = await readFile(reportFile, 'utf8').then(text => JSON.parse(text), () => undefined)
  if (!report) {
    return {
      result: { name: `${suite.name} (no report: it did not finish)`, passed: 0, failed: 1 },
      failedTests: [],
    }
  }
  const counts = countVitest(report)
  if (counts.skipped)
    console.log(`note: ${counts.skipped} test(s) skipped; they are counted neither as passed nor as failed`)
  return {
    result: { name: suite.name, passed: counts.passed, failed: counts.failed + (exitCode && !counts.failed
      ? 1
      : 0) },
    failedTests: failedTestNames(report, process.cwd()),
  }
}

async function main(): Promise<number> {
  const results: StepResult[] = []
  const failedTests: string[] = []
  const started = Date.now()
  for (const check of checks) {
    console.log(`\n== ${check.name}: npm run ${check.script}`)
    const { exitCode } = await npmRun(check.script)
    results.push({
      name: check.name,
      passed: exitCode === 0 ? 1 : 0,
      failed: exitCode === 0 ? 0 : 1,
    })
  }
  for (const suite of suites) {
    console.log(`\n== ${suite.name}: npm run ${suite.script}`)
    const run = await runSuite(suite)
    results.push(run.result)
    failedTests.push(...run.failedTests)
  }

  console.log(`\n== summary (${Math.round((Date.now() - started) / 1000)}s)`)
  for (const result of results) {
    console.log(`${result.failed ? 'FAIL' : 'ok  '}  ${result.name}${result.passed + result.failed > 1
      ? `: ${result.passed} passed, ${result.failed} failed`
      : ''}`)
  }
  for (const name of failedTests)
    console.log(`  failed: ${name}`)
  console.log(summaryLine(results))
  return results.some(result => result.failed) ? 1 : 0
}

await runCli(main)
