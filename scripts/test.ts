import type { StepResult } from './core/test-summary'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { execa } from 'execa'
import { countVitest, failedTestNames, summaryLine } from './core/test-summary'

// Every step runs even when an earlier one fails, so one run shows everything that is wrong.
const checks: Array<{ name: string, command: string, args: string[] }> = [
  {
    name: 'deck source (snippets, images, components, frontmatter, notes)',
    command: 'tsx',
    args: ['scripts/check-deck.ts', 'slides.md'],
  },
  {
    name: 'snippets, static (scenarios, shellcheck, Kubernetes and kind schemas, annotations, pins, slide coverage)',
    command: 'tsx',
    args: ['scripts/check-snippets.ts'],
  },
  {
    name: 'GitHub workflows (schema, pinned actions, run: blocks through shellcheck, paths that exist)',
    command: 'tsx',
    args: ['scripts/check-workflows.ts'],
  },
  {
    name: 'typecheck (vue-tsc: components, model, setup, scripts, tests)',
    command: 'vue-tsc',
    args: ['--noEmit'],
  },
  {
    name: 'lint (eslint, @antfu/eslint-config)',
    command: 'eslint',
    args: ['.'],
  },
]

const results: StepResult[] = []
const started = Date.now()

for (const check of checks) {
  console.log(`\n== ${check.name}`)
  const { exitCode } = await execa(check.command, check.args, { preferLocal: true, stdio: 'inherit', reject: false })
  results.push({
    name: check.name,
    passed: exitCode === 0
      ? 1
      : 0,
    failed: exitCode === 0
      ? 0
      : 1,
  })
}

console.log('\n== unit and browser tests (vitest)')
const reportFile = join(await mkdtemp(join(tmpdir(), 'vitest-report-')), 'report.json')
const vitest = await execa('vitest', [
  'run',
  '--config',
  'test/vitest.config.ts',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${reportFile}`,
], {
  preferLocal: true,
  stdio: 'inherit',
  reject: false,
})
const report = await readFile(reportFile, 'utf8').then(text => JSON.parse(text), () => undefined)
const counts = report
  ? countVitest(report)
  : undefined
if (counts) {
  results.push({ name: 'vitest', passed: counts.passed, failed: counts.failed + (vitest.exitCode && !counts.failed
    ? 1
    : 0) })
  if (counts.skipped)
    console.log(`note: ${counts.skipped} test(s) skipped; they are counted neither as passed nor as failed`)
}
else {
  results.push({ name: 'vitest (no report: it did not finish)', passed: 0, failed: 1 })
}

console.log(`\n== summary (${Math.round((Date.now() - started) / 1000)}s)`)
for (const result of results) {
  console.log(`${result.failed ? 'FAIL' : 'ok  '}  ${result.name}${result.passed + result.failed > 1
    ? `: ${result.passed} passed, ${result.failed} failed`
    : ''}`)
}
for (const name of report
  ? failedTestNames(report, process.cwd())
  : [])
  console.log(`  failed: ${name}`)
console.log(summaryLine(results))
process.exitCode = results.some(result => result.failed)
  ? 1
  : 0
