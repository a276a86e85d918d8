import process from 'node:process'
import { CliError, onStopSignal, runCli } from './core/cli'
import { SnippetInputError } from './snippet-check/scenarios'
import { readStaticInput } from './snippet-check/static-checks'
import { DemoClusterError, prepareTalkCluster } from './talk/demo-cluster'
import { runDemo } from './talk/demo-loop'
import { DEMO_USAGE, demoPlan, demoScenario, DemoUsageError, parseDemoArgs } from './talk/demo-plan'
import { dryRunLines, paint, useColor } from './talk/demo-render'
import { readTalkState } from './talk/talk-files'
import { runTalkStep } from './talk/talk-steps'

// npm run demo -- <scenario> [--from NN] [--shown-only] [--type [--type-delay MS]] [--dry-run] [--context NAME] [--root DIR]
// The hands-on from a terminal: each step's comment and command, Enter runs it on the scenario's
// cluster, then whether its output matches the expected one. Keys and messages: README, "Giving
// the talk". Exit status: 0 every step ran and matched; 1 a step failed, or you skipped or quit;
// 2 bad usage or input (nothing run); 3 the scenario's cluster can't be reached (nothing run);
// 130 quit with Ctrl-C (143 on SIGTERM).

type DemoOptions = ReturnType<typeof parseDemoArgs>

function commandLine(): DemoOptions {
  try {
    return parseDemoArgs(process.argv.slice(2), process.cwd())
  }
  catch (error) {
    if (error instanceof DemoUsageError)
      throw new CliError(`${error.message}\n${DEMO_USAGE}`)
    throw error
  }
}

/** The snippets, the scenario and what runs of it (the staged steps are skipped): bad input exits 2. */
function loadDemo(options: DemoOptions) {
  try {
    const input = readStaticInput(options.root)
    const scenario = demoScenario(input.scenarios, options.scenario)
    const staged = new Set(Object.keys(readTalkState(options.root).staged))
    const plan = demoPlan(scenario, {
      staged,
      shownOnly: options.shownOnly,
      ...(options.from === undefined ? {} : { from: options.from }),
    })
    return { input, scenario, plan }
  }
  catch (error) {
    if (error instanceof SnippetInputError || error instanceof DemoUsageError || /state\.json: unreadable/.test((error as Error).message))
      throw new CliError((error as Error).message)
    throw error
  }
}

/** The scenario's staged cluster, reached through its private kubeconfig; one it can't reach exits 3. */
async function reachCluster(options: DemoOptions, demo: ReturnType<typeof loadDemo>) {
  try {
    return await prepareTalkCluster(options.root, demo.scenario, demo.input.scenarios, options.context === undefined
      ? {}
      : { context: options.context })
  }
  catch (error) {
    if (error instanceof DemoClusterError)
      throw new CliError(`refused: ${error.message}`, 3)
    throw error
  }
}

async function main(): Promise<number> {
  const options = commandLine()
  if (options.help) {
    console.log(DEMO_USAGE)
    return 0
  }
  const { input, scenario, plan } = loadDemo(options)
  const color = useColor(process.stdout, process.env)
  if (options.dryRun) {
    process.stdout.write(dryRunLines(options.root, scenario, plan, paint(color)).map(line => `${line}\n`).join(''))
    return 0
  }
  const cluster = await reachCluster(options, { input, scenario, plan })

  const p = paint(color)
  const notice = cluster.foreign
    ? cluster.notice.map(line => p.yellow(p.bold(line)))
    : cluster.notice.map(line => p.dim(line))
  try {
    return await runDemo({
      root: options.root,
      scenario,
      plan,
      type: options.type,
      notice,
    }, {
      input: process.stdin,
      output: process.stdout,
      echo: process.stdin.isTTY === true,
      color,
      typeDelayMs: options.typeDelayMs,
      runner: (step, { signal, onOutput }) => runTalkStep(scenario, step, {
        root: options.root,
        pins: input.pins,
        kubeconfig: cluster.kubeconfig,
        signal,
        ...(onOutput ? { onOutput } : {}),
      }),
      onSignal: onStopSignal,
    })
  }
  finally {
    process.stdin.destroy()
  }
}

await runCli(main)
