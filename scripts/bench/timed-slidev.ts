import { dirname } from 'node:path'
import { execa } from 'execa'

/**
 * Runs `slidev ...args` in the deck's folder, timed from start to exit, in seconds. When Slidev
 * fails, `fail` makes the error from a message naming the deck, with Slidev's last lines.
 */
export async function timedSlidev(entry: string, args: string[], fail: (message: string) => Error): Promise<number> {
  const started = performance.now()
  const run = await execa('slidev', args, {
    cwd: dirname(entry),
    preferLocal: true,
    localDir: import.meta.dirname,
    all: true,
    reject: false,
    env: { FORCE_COLOR: '0' },
  })
  const seconds = (performance.now() - started) / 1000
  if (run.failed) {
    const tail = (run.all ?? '').trim().split('\n').slice(-12).join('\n')
    throw fail(`${entry} does not ${args[0]} (slidev ${args[0]}: ${run.shortMessage}). Its last output:\n${tail}`)
  }
  return seconds
}
