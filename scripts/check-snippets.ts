import process from 'node:process'
import { CliError, parseCommandLine, runCli } from './core/cli'
import { formatProblem } from './core/problem'
import { runLiveCheck } from './snippet-check/live-check'
import { SnippetInputError } from './snippet-check/scenarios'
import { readStaticInput, staticProblems } from './snippet-check/static-checks'

// npm run check:snippets [-- --live [--scenario NAME]... [--keep] [--parallel N] [--report-dir DIR]]
// Exit status: 0 all good, 1 a check failed, 2 bad input (named by file and line) or bad usage.

const USAGE = 'usage: check-snippets [--root DIR] [--live [--scenario NAME]... [--keep] [--parallel N] [--report-dir DIR]]'

async function main(): Promise<number> {
  const args = parseCommandLine({
    options: {
      'root': {
        type: 'string',
        default: process.cwd(),
      },
      'live': { type: 'boolean', default: false },
      'scenario': { type: 'string', multiple: true },
      'keep': { type: 'boolean', default: false },
      'parallel': { type: 'string', default: '1' },
      'report-dir': { type: 'string', default: '.snippet-check' },
    },
    strict: true,
    allowPositionals: false,
  }, USAGE).values
  const root = args.root
  const parallel = Number(args.parallel)
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new CliError(`--parallel must be a whole number of clusters, at least 1\n${USAGE}`)
  if (!args.live && (args.scenario || args.keep))
    throw new CliError(`--scenario and --keep only apply with --live\n${USAGE}`)

  const input = readStaticInput(root)
  if (args.scenario) {
    const known = new Set(input.scenarios.map(s => s.name))
    const unknown = args.scenario.filter(name => !known.has(name))
    if (unknown.length > 0)
      throw new CliError(`unknown scenario ${unknown.join(', ')} (known: ${[...known].join(', ')})`)
  }

  const problems = await staticProblems(root, input)
  for (const problem of problems)
    console.error(formatProblem(problem))
  const steps = input.scenarios.reduce((sum, s) => sum + s.steps.length, 0)
  console.log(`static: ${input.scenarios.length} scenarios, ${steps} steps, ${input.manifestFiles.length} manifests, ${problems.length} problem(s)`)
  if (problems.length > 0)
    return 1
  if (!args.live)
    return 0

  return runLiveCheck({
    root,
    scenarios: input.scenarios,
    pins: input.pins,
    wanted: args.scenario ?? input.scenarios.filter(s => s.live).map(s => s.name),
    keep: args.keep,
    parallel,
    reportDir: args['report-dir'],
  })
}

await runCli(main, [[SnippetInputError, 2]])
