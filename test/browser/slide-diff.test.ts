import type { DiffReport } from '../../scripts/slide-diff/report'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { beforeAll, describe, expect, it } from 'vitest'

// npm run diff end to end, on a throw-away repository holding test/fixtures/slide-diff's deck in
// three commits (see its README): real git worktrees, real Slidev builds, the local Chromium.

const project = fileURLToPath(new URL('../..', import.meta.url))
const fixture = join(project, 'test/fixtures/slide-diff')
let repo: string

async function git(...args: string[]): Promise<string> {
  return (await execa('git', [
    '-C',
    repo,
    '-c',
    'user.name=test',
    '-c',
    'user.email=test@example.com',
    ...args,
  ])).stdout.trim()
}

function slideDiff(...args: string[]) {
  return execa('tsx', [join(project, 'scripts/diff.ts'), '--repo', repo, ...args], {
    cwd: project,
    preferLocal: true,
    reject: false,
    all: true,
  })
}

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'slide-diff-repo-'))
  await git('init', '--quiet', '--initial-branch', 'main')
  await copyFile(join(fixture, 'base.md'), join(repo, 'slides.md'))
  await git('add', 'slides.md')
  await git('commit', '--quiet', '-m', 'base')
  await git('tag', 'base')
  await copyFile(join(fixture, 'head.md'), join(repo, 'slides.md'))
  await git('commit', '--quiet', '-am', 'head')
  await git('tag', 'head')
  await writeFile(join(repo, 'NOTES.txt'), 'a change beside the deck\n')
  await git('add', 'NOTES.txt')
  await git('commit', '--quiet', '-m', 'unchanged deck')
})

describe('npm run diff on two commits of a fixture deck', () => {
  it('reports the edited, inserted and removed slides, and only those, with their images', async () => {
    const out = join(repo, 'report')
    const summary = join(repo, 'summary.md')
    await writeFile(summary, '# earlier summary\n')
    const run = await slideDiff('base', 'head', '--out', out, '--summary', summary)
    expect(run.exitCode, run.all).toBe(0)
    expect(run.stdout).toContain('slide diff: 1 changed, 1 added, 1 removed, 0 moved, 3 unchanged')

    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as DiffReport
    const rows = report.changes.map(change => `${change.verdict} ${change.before?.no ?? '-'}>${change.after?.no ?? '-'} ${(change.after ?? change.before)!.title}`)
    expect(rows).toEqual([
      'unchanged 1>1 Slide diff fixture',
      'changed 2>2 Alpha',
      'added ->3 Inserted',
      'unchanged 3>4 Bravo',
      'removed 4>- Charlie',
      'unchanged 5>5 Delta',
    ])
    // Alpha's second bullet was reworded: it shows from click 2 on, so only that step differs.
    const alpha = report.changes[1]!
    expect(alpha.clickSteps).toEqual({ before: 3, after: 3 })
    expect(alpha.states.map(state => state.clicks)).toEqual([2])
    for (const file of [
      alpha.states[0]!.before!,
      alpha.states[0]!.after!,
      alpha.states[0]!.diff!,
      report.changes[2]!.states[0]!.after!,
      report.changes[4]!.states[0]!.before!,
    ])
      expect((await readFile(join(out, file))).subarray(1, 4).toString()).toBe('PNG')

    const markdown = await readFile(join(out, 'report.md'), 'utf8')
    expect(markdown).toContain('| changed | 2 → 2 | Alpha (`slides.md:17`)')
    expect(markdown).toContain('| added | – → 3 | Inserted')
    expect(markdown).toContain('| removed | 4 → – | Charlie')
    expect(await readFile(summary, 'utf8')).toBe(`# earlier summary\n${markdown}`)
    // The worktrees it built in are gone.
    expect((await git('worktree', 'list')).split('\n')).toHaveLength(1)
  }, 180_000)

  it('finds no change when only a file beside the deck changed (two builds render the same pixels)', async () => {
    const out = join(repo, 'report-unchanged')
    const run = await slideDiff('head', 'main', '--out', out)
    expect(run.exitCode, run.all).toBe(0)
    expect(run.stdout).toContain('slide diff: 0 changed, 0 added, 0 removed, 0 moved, 5 unchanged')
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain('No slide changed: all 5 look the same at every click step')
  }, 180_000)

  it('on SIGTERM mid-build removes its worktrees and writes no report (exit 143)', async () => {
    const out = join(repo, 'report-interrupted')
    const run = execa('node', [
      '--import',
      'tsx',
      join(project, 'scripts/diff.ts'),
      '--repo',
      repo,
      'base',
      'head',
      '--out',
      out,
    ], {
      cwd: project,
      preferLocal: true,
      reject: false,
      all: true,
    })
    for (let waited = 0; (await git('worktree', 'list')).split('\n').length < 2 && waited < 30_000; waited += 100)
      await new Promise(resolve => setTimeout(resolve, 100))
    expect((await git('worktree', 'list')).split('\n'), 'it never made a worktree').toHaveLength(2)
    run.kill('SIGTERM')
    const result = await run
    expect(result.exitCode, result.all).toBe(143)
    expect((await git('worktree', 'list')).split('\n')).toHaveLength(1)
    expect(existsSync(out)).toBe(false)
  }, 60_000)

  it('refuses a ref that names no commit, with exit status 2 and nothing written', async () => {
    const out = join(repo, 'report-bad-ref')
    const run = await slideDiff('no-such-branch', '--out', out)
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain('npm run diff: no-such-branch: no such commit in')
    expect(existsSync(out)).toBe(false)
  })

  it('refuses to replace a folder that is not one of its reports', async () => {
    const out = join(repo, 'precious')
    await mkdir(out)
    await writeFile(join(out, 'keep.txt'), 'mine')
    const run = await slideDiff('base', 'head', '--out', out)
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain('exists and is not a slide-diff report: refusing to replace it')
    expect(await readFile(join(out, 'keep.txt'), 'utf8')).toBe('mine')
  })
})
