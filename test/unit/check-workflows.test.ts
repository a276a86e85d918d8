import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { literalPrefix, parseWorkflow, runBlocks, runsCiOnPullRequests, shellcheckProblems } from '../../scripts/workflows/workflow-rules'

const repo = fileURLToPath(new URL('../..', import.meta.url))

function checkWorkflows(root?: string) {
  return execa('tsx', [
    'scripts/check-workflows.ts',
    ...(root ? ['--root', root] : []),
  ], { cwd: repo, preferLocal: true, reject: false })
}

describe('npm run check:workflows', { timeout: 60_000 }, () => {
  it('passes this repository\'s workflows', async () => {
    const result = await checkWorkflows()
    expect(result.stderr.replace(/^npm warn.*\n?/gm, '')).toBe('')
    expect(result.stdout).toBe('workflows: 3 file(s), 0 problem(s)')
    expect(result.exitCode).toBe(0)
  })

  it('reports each defect of the broken fixture at its line, and exits 1', async () => {
    const result = await checkWorkflows('test/fixtures/workflows/broken')
    expect(result.exitCode).toBe(1)
    const lines = result.stderr.split('\n').filter(line => line.startsWith('.github/'))
    expect(lines).toEqual([
      '.github/workflows:1: no workflow runs .ci/run on pull requests, so reviewers would not see the tests',
      '.github/workflows/broken.yml:7: path filter snippetz/**: snippetz does not exist, so the filter can never match what it was written for',
      '.github/workflows/broken.yml:9: job unlimited has no timeout-minutes (GitHub\'s default is 6 hours)',
      '.github/workflows/broken.yml:12: actions/checkout@v7: pin the action to a full commit SHA (a tag can be moved), with the tag in a comment',
      '.github/workflows/broken.yml:13: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1: say which release the SHA is in a comment, e.g. # v7.0.1',
      '.github/workflows/broken.yml:14: an expression inside run: is spliced into the shell as text; pass it through env: instead',
      '.github/workflows/broken.yml:15: run: names scripts/gone.sh, which this repository does not have',
      // eslint-disable-next-line no-template-curly-in-string -- shellcheck's own words
      '.github/workflows/broken.yml:18: shellcheck warning: Use "${var:?}" to ensure this never expands to /* . [SC2115]',
      '.github/workflows/broken.yml:18: shellcheck note: Double quote to prevent globbing and word splitting. [SC2086]',
      '.github/workflows/broken.yml:22: GitHub workflow schema: Additional property \'stepz\' is not allowed',
      '.github/workflows/broken.yml:28: upload-artifact without overwrite: true: re-running the job fails on the artifact its first attempt uploaded',
      '.github/workflows/broken.yml:28: upload-artifact without retention-days: say how long the artifact is kept',
      '.github/workflows/broken.yml:32: the live check must get the signal GitHub sends on cancel or timeout: start it with `exec node --import tsx scripts/check-snippets.ts` (no npm run, whose sh -c does not pass it on)',
      '.github/workflows/broken.yml:33: sysctl -w can lower a limit the runner sets higher: raise it with .ci/raise-sysctl, which only ever raises',
      '.github/workflows/broken.yml:35: this group is shared by the runs that cancel-in-progress lets finish, and GitHub still cancels a queued one when the next queues: give those runs a group of their own (github.run_id)',
    ])
    expect(result.stdout).toBe('workflows: 1 file(s), 15 problem(s)')
  })

  it('stops at broken YAML with its line', async () => {
    const result = await checkWorkflows('test/fixtures/workflows/invalid-yaml')
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toMatch(/^\.github\/workflows\/invalid\.yml:6: invalid YAML: /m)
  })
})

describe('workflow rules', () => {
  it('finds the literal folder in front of a path filter\'s wildcards', () => {
    expect(literalPrefix('scripts/snippet-check/**')).toBe('scripts/snippet-check')
    expect(literalPrefix('.ci/install-live-tools')).toBe('.ci/install-live-tools')
    expect(literalPrefix('**.md')).toBe('')
  })

  it('knows the three ways to say "on pull requests"', () => {
    const runsCi = '\njobs:\n  t:\n    steps:\n      - run: bash .ci/run\n'
    expect(runsCiOnPullRequests([parseWorkflow('a.yml', `on: pull_request${runsCi}`)])).toBe(true)
    expect(runsCiOnPullRequests([parseWorkflow('a.yml', `on: [push, pull_request]${runsCi}`)])).toBe(true)
    expect(runsCiOnPullRequests([
      parseWorkflow('a.yml', `on:\n  pull_request:\n    branches: [main]${runsCi}`),
    ])).toBe(true)
    expect(runsCiOnPullRequests([parseWorkflow('a.yml', `on: push${runsCi}`)])).toBe(false)
    expect(runsCiOnPullRequests([
      parseWorkflow('a.yml', 'on: pull_request\njobs:\n  t:\n    steps:\n      - run: npm test\n'),
    ])).toBe(false)
  })

  it('moves shellcheck\'s lines from the block to the workflow file', () => {
    const [block] = runBlocks(parseWorkflow('w.yml', 'on: push\njobs:\n  t:\n    steps:\n      - run: |\n          echo one\n          rm $x\n'))
    expect(block!.line).toBe(6)
    expect(shellcheckProblems(block!, '-:2:4: note: Double quote to prevent globbing and word splitting. [SC2086]')).toEqual([
      { file: 'w.yml', line: 7, message: 'shellcheck note: Double quote to prevent globbing and word splitting. [SC2086]' },
    ])
  })
})
