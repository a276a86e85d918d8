import { readdir, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { execa } from 'execa'
import { timedSlidev } from './timed-slidev'

export class DeckBuildError extends Error {}

/** Bytes of every file under `dir`. */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      total += (await stat(join(entry.parentPath, entry.name))).size
  }
  return total
}

/**
 * A cold `slidev build` of `entry` into `out`: Vite's cache in the deck's node_modules/.vite is
 * removed first, so every run builds from nothing. Fails with Slidev's last lines when it fails.
 */
export async function timedBuild(entry: string, out: string): Promise<{ seconds: number }> {
  const root = dirname(entry)
  await execa('rm', ['-rf', join(root, 'node_modules', '.vite'), out])
  const seconds = await timedSlidev(entry, ['build', basename(entry), '--out', out], message => new DeckBuildError(message))
  return { seconds }
}
