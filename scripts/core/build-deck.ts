import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { execa } from 'execa'

/** Builds a deck into a fresh scratch directory with Slidev's own build, and returns that directory. */
export async function buildDeck(entry: string): Promise<string> {
  const path = resolve(entry)
  const out = await mkdtemp(join(tmpdir(), 'deck-build-'))
  await execa('slidev', ['build', basename(path), '--out', out], {
    cwd: dirname(path),
    preferLocal: true,
    all: true,
    env: { FORCE_COLOR: '0' },
  })
  return out
}
