import { existsSync } from 'node:fs'
import { mkdtemp, readFile, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa, execaSync } from 'execa'

/** A ref that is not a commit, a deck missing at a ref, a folder that is not a repository. */
export class SlideDiffInputError extends Error {}

async function git(repo: string, args: string[]): Promise<string> {
  return (await execa('git', ['-C', repo, ...args])).stdout.trim()
}

/** The commit a ref names, or a SlideDiffInputError that names the ref. */
export async function resolveCommit(repo: string, ref: string): Promise<string> {
  if (ref.startsWith('-'))
    throw new SlideDiffInputError(`${ref}: a ref cannot start with "-"`)
  const inside = await execa('git', ['-C', repo, 'rev-parse', '--is-inside-work-tree'], { reject: false })
  if (inside.exitCode !== 0)
    throw new SlideDiffInputError(`${repo} is not a git repository`)
  const result = await execa('git', [
    '-C',
    repo,
    'rev-parse',
    '--verify',
    '--quiet',
    '--end-of-options',
    `${ref}^{commit}`,
  ], { reject: false })
  if (result.exitCode !== 0)
    throw new SlideDiffInputError(`${ref}: no such commit in ${repo} (a branch, tag or commit; on CI, fetch the base branch first)`)
  return result.stdout.trim()
}

/** Fails with the ref and the path when the deck's entry is not in that commit. */
export async function assertEntryAt(repo: string, ref: string, sha: string, entry: string): Promise<void> {
  const result = await execa('git', ['-C', repo, 'cat-file', '-e', `${sha}:${entry}`], { reject: false })
  if (result.exitCode !== 0)
    throw new SlideDiffInputError(`${ref} (${sha.slice(0, 7)}) has no ${entry}: nothing to build there`)
}

/**
 * Detached git worktrees of the commits to compare, in a scratch folder, each with the
 * current checkout's node_modules linked in (the refs are built with today's dependencies; a
 * ref whose package-lock.json differs is said so). `dispose()` removes them all.
 */
export class DiffWorkspace {
  private readonly worktrees: string[] = []
  private scratch: string | undefined

  constructor(readonly repo: string, readonly nodeModules: string) {}

  async checkout(sha: string): Promise<{ dir: string, lockDiffers: boolean }> {
    this.scratch ??= await mkdtemp(join(tmpdir(), 'slide-diff-'))
    const dir = join(this.scratch, sha.slice(0, 12))
    this.worktrees.push(dir)
    await git(this.repo, ['worktree', 'add', '--detach', '--quiet', dir, sha])
    if (!existsSync(join(dir, 'node_modules')))
      await symlink(this.nodeModules, join(dir, 'node_modules'), 'dir')
    const lockHere = join(this.nodeModules, '..', 'package-lock.json')
    const lockThere = join(dir, 'package-lock.json')
    const lockDiffers = existsSync(lockHere) && existsSync(lockThere)
      && (await readFile(lockHere, 'utf8')) !== (await readFile(lockThere, 'utf8'))
    return { dir, lockDiffers }
  }

  /** Where captures and builds may go. */
  async scratchDir(name: string): Promise<string> {
    this.scratch ??= await mkdtemp(join(tmpdir(), 'slide-diff-'))
    return join(this.scratch, name)
  }

  /** What removing the workspace takes: each worktree, git's record of them, the scratch folder. */
  private cleanupCommands(): Array<[string, string[]]> {
    const commands: Array<[string, string[]]> = this.worktrees.splice(0).map(dir => [
      'git',
      ['-C', this.repo, 'worktree', 'remove', '--force', dir],
    ])
    commands.push(['git', ['-C', this.repo, 'worktree', 'prune']])
    if (this.scratch) {
      commands.push(['rm', ['-rf', this.scratch]])
    }
    this.scratch = undefined
    return commands
  }

  async dispose(): Promise<void> {
    for (const [file, args] of this.cleanupCommands())
      await execa(file, args, { reject: false })
  }

  /** For a signal handler, which cannot wait for promises. */
  disposeSync(): void {
    for (const [file, args] of this.cleanupCommands())
      execaSync(file, args, { reject: false })
  }
}
