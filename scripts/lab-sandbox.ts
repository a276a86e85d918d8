import type { Node } from './sandbox/node-env'
import type { CaseResult } from './sandbox/run-cases'
import { readFileSync, writeFileSync } from 'node:fs'
import { release } from 'node:os'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { formatSaveDump } from '../model/firewall/rule-set'
import { ruleSetsFromLog } from '../model/firewall/traffic-cases'
import { onStopSignal, parseCommandLine, runCli, stopExitCode } from './core/cli'
import { sandboxCases } from './sandbox/cases'
import { NODE_NS } from './sandbox/layout'
import { bringUp, leftovers, tearDown } from './sandbox/node-env'
import { BUSYBOX, CNI_PLUGIN_DIR, preflight, systemHost } from './sandbox/preflight'
import { formatTable, sandboxRecord, tally } from './sandbox/report'
import { CaseRunner } from './sandbox/run-cases'

// sudo npm run lab:sandbox [-- --record] [--clean-up]
// Plays the kubelet against Debian's containerd through the CRI and checks five claims the deck
// makes about pod start-up (scripts/sandbox/README.md). Exit status: 0 the runtime did what the
// deck says in every case, 1 it did not, 2 it can't run here (named), 130/143 interrupted.

const USAGE = 'usage: sudo npm run lab:sandbox [-- --record] [-- --clean-up]'
const FIXTURE = 'model/rules/linkerd-init.log'
const RECORD = 'model/sandbox/lab-result.json'
const root = fileURLToPath(new URL('..', import.meta.url))

let node: Node | undefined
let interruption: Promise<never> | undefined

async function main(): Promise<number> {
  const args = parseCommandLine({
    options: {
      'record': { type: 'boolean', default: false },
      'clean-up': { type: 'boolean', default: false },
    },
    strict: true,
  }, USAGE).values
  const problems = await preflight(systemHost)
  for (const problem of problems)
    console.error(`lab:sandbox: ${problem}`)
  if (problems.length > 0)
    return 2
  if (args['clean-up']) {
    const failures = await tearDown()
    for (const failure of failures)
      console.error(`lab:sandbox: ${failure}`)
    console.log(failures.length === 0 ? 'nothing of the lab is left' : 'some of the lab is still there')
    return failures.length === 0 ? 0 : 1
  }
  const left = leftovers()
  if (left.length > 0) {
    console.error(`lab:sandbox: an earlier run left ${left.join(' and ')}; remove them first: sudo npm run lab:sandbox -- --clean-up`)
    return 2
  }

  const linkerdCni = ruleSetsFromLog(readFileSync(`${root}/${FIXTURE}`, 'utf8'), FIXTURE)['linkerd-cni']
  const cases = sandboxCases(linkerdCni)
  console.log(`The lab's node is the network namespace ${NODE_NS}, with Debian's containerd in it; every address is inside the lab's namespaces.`)
  console.log('The linkerd-cni plugin in the chain is a STAND-IN (its binary can\'t be had here): it writes linkerd-cni\'s rules from the firewall model, the ones lab:firewall proves, into each new sandbox through nsenter, as linkerd-cni does.')

  onStopSignal((signal) => {
    interruption ??= (async () => {
      console.error(`${signal}: stopping containerd and removing everything the lab started`)
      const failures = await tearDown(node)
      for (const failure of failures)
        console.error(`lab:sandbox: ${failure}`)
      process.exit(stopExitCode(signal))
    })()
  })

  const rows: CaseResult[] = []
  try {
    node = await bringUp(BUSYBOX, CNI_PLUGIN_DIR, formatSaveDump(linkerdCni))
    const runner = new CaseRunner(node, line => console.log(line))
    for (const [index, sandboxCase] of cases.entries())
      rows.push(await runner.run(sandboxCase, index + 1))
    await runner.removeAll()
  }
  finally {
    if (!interruption) {
      const failures = await tearDown(node)
      for (const failure of failures)
        console.error(`lab:sandbox: ${failure}`)
    }
  }
  console.log(`\n${formatTable(rows)}`)
  const { agree, disagree } = tally(rows)
  if (args.record) {
    if (disagree > 0) {
      console.error('not recording: only a run that agrees on every case is recorded')
      return 1
    }
    const containerd = (await execa('containerd', ['--version'])).stdout.trim().split(' ').at(-1) ?? ''
    const runc = (await execa('runc', ['--version'])).stdout.split('\n')[0]!.replace('runc version ', '')
    writeFileSync(`${root}/${RECORD}`, `${JSON.stringify(sandboxRecord(rows, {
      date: new Date().toISOString().slice(0, 10),
      kernel: release(),
      containerd,
      runc,
    }), null, 2)}\n`)
    console.log(`recorded ${RECORD}`)
  }
  console.log(`${agree} agree, ${disagree} disagree`)
  return disagree > 0 ? 1 : 0
}

// A case that a signal pulls the node from under fails; its error must not end the process
// before the signal's teardown does.
await runCli(async () => main().catch(async (error: unknown) => {
  if (interruption)
    return interruption
  throw error
}))
