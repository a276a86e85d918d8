import process from 'node:process'
import { runCli } from './core/cli'
import { SnippetInputError } from './snippet-check/scenarios'
import { readStaticInput } from './snippet-check/static-checks'
import { parseStageArgs } from './talk/stage-args'
import { runCheck } from './talk/stage-check'
import { runDown } from './talk/stage-down'
import { runReset } from './talk/stage-reset'
import { runStage } from './talk/stage-run'

// npm run stage [-- --check | --reset SCENARIO | --down] [--root DIR]
// Before the talk: creates the talk's kind clusters and runs every staged step (resumable,
// idempotent). Exit status: 0 done, 1 a step or check failed, 2 bad usage or input,
// 3 a prerequisite is missing or a cluster/context it did not create is in the way,
// 130/143 interrupted.

async function main(): Promise<number> {
  const args = parseStageArgs(process.argv.slice(2), process.cwd())
  if ('error' in args) {
    console.error(args.error)
    return 2
  }
  const input = readStaticInput(args.root)
  const context = {
    root: args.root,
    scenarios: input.scenarios,
    pins: input.pins,
    env: process.env,
    log: (line: string) => console.log(line),
    warn: (line: string) => console.error(line),
  }
  switch (args.mode) {
    case 'check': return runCheck(context)
    case 'reset': return runReset(context, args.scenario)
    case 'down': return runDown(context)
    case 'stage': return runStage(context)
  }
}

await runCli(main, [[SnippetInputError, 2]])
