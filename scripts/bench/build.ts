import { readdir, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { execa } from 'execa'

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
  const started = performance.now()
  const build = await execa('slidev', ['build', basename(entry), '--out', out], {
    cwd: root,
    preferLocal: true,
    localDir: import.meta.dirname,
    all: true,
    reject: false,
    env: { FORCE_COLOR: '0' },
  })
  const seconds = (performance.now() - started) / 1000
  if (build.failed) {
    const tail = (build.all ?? '').trim().split('\n').slice(-12).join('\n')
    throw new DeckBuildError(`${entry} does not build (slidev build: ${build.shortMessage}). Its last output:\n${tail}`)
  }
  return { seconds }
}
