import { resolve } from 'node:path'
import { parseArgs } from 'node:util'

// The command line of `npm run stage`, parsed with node:util like the other CLIs. One mode at a
// time; anything else is a usage error (exit 2).

export const STAGE_USAGE = 'usage: stage [--root DIR] [--check | --reset SCENARIO | --down]'

export type StageMode = { mode: 'stage' } | { mode: 'check' } | { mode: 'reset', scenario: string } | { mode: 'down' }

export function parseStageArgs(argv: string[], cwd: string): (StageMode & { root: string }) | { error: string } {
  let values
  try {
    values = parseArgs({
      args: argv,
      options: {
        root: { type: 'string', default: cwd },
        check: { type: 'boolean', default: false },
        reset: { type: 'string' },
        down: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values
  }
  catch (error) {
    return { error: `${(error as Error).message}\n${STAGE_USAGE}` }
  }
  const modes = [values.check && '--check', values.reset !== undefined && '--reset', values.down && '--down'].filter(Boolean)
  if (modes.length > 1)
    return { error: `${modes.join(' and ')} can't be combined: one at a time\n${STAGE_USAGE}` }
  if (values.reset !== undefined) {
    return {
      mode: 'reset',
      scenario: values.reset,
      root: resolve(cwd, values.root),
    }
  }
  return {
    mode: values.check ? 'check' : values.down ? 'down' : 'stage',
    root: resolve(cwd, values.root),
  }
}
