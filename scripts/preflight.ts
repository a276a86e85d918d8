import type { StopSignal } from './core/cli'
import process from 'node:process'
import { onStopSignal, runCli, stopExitCode } from './core/cli'
import { parsePreflightArgs, PREFLIGHT_USAGE, runPreflight } from './preflight/run'
import { readScenarios, SnippetInputError } from './snippet-check/scenarios'
import { readPins } from './snippet-check/static-checks'

// npm run preflight [-- --pull] [--root DIR]
// The day before the workshop: is this machine ready for the hands-on? One ok/warn/FAIL/skip line
// per check, each FAIL or warn with its fix; --pull pulls every pinned image into Docker.
// Exit status: 0 ready (warnings allowed), 1 something blocks the hands-on, 2 bad usage or
// input, 130/143 interrupted. Checks and figures: scripts/preflight/.

async function main(): Promise<number> {
  const args = parsePreflightArgs(process.argv.slice(2), process.cwd())
  if ('error' in args) {
    console.error(args.error)
    return 2
  }
  if (args.help) {
    console.log(PREFLIGHT_USAGE)
    return 0
  }
  const pins = readPins(args.root)
  const scenarios = readScenarios(args.root)

  const abort = new AbortController()
  let received: StopSignal | undefined
  let pulling = false
  onStopSignal((signal) => {
    // Before the first pull there is nothing to keep: stop at once.
    if (!pulling)
      process.exit(stopExitCode(signal))
    if (received)
      return
    received = signal
    console.log(`\n${signal}: stopping the pull; what was pulled stays`)
    abort.abort()
  })

  const tty = process.stdout.isTTY
  let progress = false
  const clearProgress = () => {
    if (progress)
      process.stdout.write('\r\x1B[K')
    progress = false
  }
  const status = await runPreflight({
    root: args.root,
    pins,
    scenarios,
    pull: args.pull,
    env: process.env,
    cwd: process.cwd(),
    log: (line) => {
      clearProgress()
      console.log(line)
    },
    signal: abort.signal,
    onPull: (image) => {
      pulling = true
      if (!tty)
        return
      clearProgress()
      process.stdout.write(`pulling ${image} ...`)
      progress = true
    },
  })
  clearProgress()
  return received ? stopExitCode(received) : status
}

await runCli(main, [[SnippetInputError, 2]])
