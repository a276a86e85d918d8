import type { Options } from 'execa'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'

const repo = fileURLToPath(new URL('..', import.meta.url))

/**
 * One of the project's tools as its npm script runs it (`node --import tsx scripts/...`), from
 * the repository's root; a non-zero exit is a result to assert on, not a throw.
 */
export function runScript<O extends Options = object>(script: string, args: readonly string[] = [], options?: O) {
  return execa('node', ['--import', 'tsx', script, ...args], {
    cwd: repo,
    preferLocal: true,
    reject: false,
    ...options,
  } as O & { cwd: string, preferLocal: true, reject: false })
}
