import type { LabPass } from './lab/lab-report'
import { readFileSync, writeFileSync } from 'node:fs'
import { release } from 'node:os'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { execa } from 'execa'
import { parseLinkerdInitLog } from '../model/firewall/linkerd-init-log'
import { formatSaveDump, parseSaveDump } from '../model/firewall/rule-set'
import { ruleSetsFromLog } from '../model/firewall/traffic-cases'
import { CliError, onStopSignal, runCli, stopExitCode } from './core/cli'
import { formatTable, labRecord, tally } from './lab/lab-report'
import { leftoverProblem, preflight, systemHost } from './lab/preflight'
import { runLabPass } from './lab/run-lab'
import { destroyTopology } from './lab/topology'

// sudo npm run lab:firewall [-- --mode nft|legacy|both] [--record] [--model-rules FILE]
// Restores linkerd-init's logged rules (model/rules/linkerd-init.log) and linkerd-cni's into a
// network namespace and runs every packet-path case for real. Exit status: 0 the kernel agrees
// with the model on every case, 1 it does not, 2 it can't run here (named), 130/143 interrupted.

const FIXTURE = 'model/rules/linkerd-init.log'
const RECORD = 'model/rules/lab-result.json'
const root = fileURLToPath(new URL('..', import.meta.url))

// Set once a signal arrived; settles only by exiting the process.
let interruption: Promise<never> | undefined

/** Why the lab can't run here (named, one per line), before it changes anything. */
async function cannotRun(mode: 'nft' | 'legacy' | 'both') {
  const { problems, modes, skipped } = await preflight(systemHost, mode)
  const leftover = problems.length === 0 ? await leftoverProblem() : undefined
  return {
    modes,
    skipped,
    problems: [...problems, ...(leftover ? [leftover] : [])],
  }
}

/** The rules each side gets: the kernel linkerd-init's dump as logged, the model the parsed rule sets (or --model-rules). */
function labRules(modelRulesFile: string | undefined) {
  const logText = readFileSync(`${root}/${FIXTURE}`, 'utf8')
  const parsed = ruleSetsFromLog(logText, FIXTURE)
  // The kernel gets linkerd-init's dump exactly as the log holds it, not the model's rendering
  // of it, so a parser slip would show up as a disagreement.
  const kernelRules = {
    'linkerd-init': parseLinkerdInitLog(logText, FIXTURE).saveDumps.at(-1)!.text,
    'linkerd-cni': formatSaveDump(parsed['linkerd-cni']),
  }
  const modelRules = modelRulesFile
    ? {
        ...parsed,
        'linkerd-init': parseSaveDump(readFileSync(modelRulesFile, 'utf8'), modelRulesFile),
      }
    : parsed
  return { kernelRules, modelRules }
}

/** Every case in each mode, the namespaces removed afterwards, and on SIGINT/SIGTERM at once. */
async function runPasses(modes: Array<'nft' | 'legacy'>, rules: ReturnType<typeof labRules>): Promise<LabPass[]> {
  // Exits from here: the pass in progress is abandoned with its namespaces. A second signal
  // must not start a second teardown.
  onStopSignal((signal) => {
    interruption ??= (async () => {
      console.error(`${signal}: removing the lab's namespaces`)
      await destroyTopology()
      process.exit(stopExitCode(signal))
    })()
  })
  const passes: LabPass[] = []
  try {
    for (const m of modes) {
      const version = (await execa(`iptables-${m}`, ['--version'], { reject: false })).stdout.trim()
      passes.push({ mode: m, iptables: version, rows: await runLabPass(m, rules.kernelRules, rules.modelRules, line => console.log(line)) })
    }
  }
  finally {
    await destroyTopology()
  }
  return passes
}

async function main(): Promise<number> {
  const args = parseArgs({
    options: {
      'mode': { type: 'string', default: 'both' },
      'record': { type: 'boolean', default: false },
      'model-rules': { type: 'string' },
    },
    strict: true,
  }).values
  const mode = args.mode
  if (mode !== 'nft' && mode !== 'legacy' && mode !== 'both')
    throw new CliError('--mode must be nft, legacy or both')
  const { problems, modes, skipped } = await cannotRun(mode)
  for (const problem of problems)
    console.error(`lab:firewall: ${problem}`)
  if (problems.length > 0)
    return 2

  const rules = labRules(args['model-rules'])
  if (!await systemHost.has('conntrack'))
    console.log('conntrack(8) is not installed: the table will not show original destinations (apt-get install conntrack)')
  if (args['model-rules'])
    console.log(`the model predicts from ${args['model-rules']}; the kernel gets ${FIXTURE}`)
  console.log('Lab namespaces l5dlab-pod and l5dlab-node; every destination is an address of the lab\'s own node namespace (the validator dials 10.96.200.1:20001 instead of its default 1.1.1.1:20001, as the chart\'s networkValidator.connectAddr allows).')

  const passes = await runPasses(modes, rules)
  console.log(`\n${formatTable(passes)}`)
  const { agree, disagree } = tally(passes)
  for (const skip of skipped)
    console.log(`(the ${skip.mode} pass was skipped: ${skip.reason})`)
  if (modes.length === 1 && mode === 'both' && skipped.length === 0) {
    console.log(`(iptables-${modes[0] === 'nft'
      ? 'legacy'
      : 'nft'}-restore is not installed here: that mode was not run)`)
  }
  if (args.record) {
    if (disagree > 0 || args['model-rules']) {
      console.error('not recording: only a run of the real model that agrees everywhere is recorded')
      return 1
    }
    writeFileSync(`${root}/${RECORD}`, `${JSON.stringify(labRecord(passes, release(), new Date().toISOString().slice(0, 10)), null, 2)}\n`)
    console.log(`recorded ${RECORD}`)
  }
  console.log(`${agree} agree, ${disagree} disagree`)
  return disagree > 0 ? 1 : 0
}

// The pass that a signal pulls its namespaces from under fails; its error must not end the
// process before the signal's teardown does.
await runCli(async () => main().catch(async (error: unknown) => {
  if (interruption)
    return interruption
  throw error
}))
