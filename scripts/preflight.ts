import process from 'node:process'
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
  let pins, scenarios
  try {
    pins = readPins(args.root)
    scenarios = readScenarios(args.root)
  }
  catch (error) {
    if (error instanceof SnippetInputError) {
      console.error(error.message)
      return 2
    }
    throw error
  }

  const abort = new AbortController()
  let received: NodeJS.Signals | undefined
  let pulling = false
  const onSignal = (signal: NodeJS.Signals) => {
    // Before the first pull there is nothing to keep: stop at once.
    if (!pulling) {
      process.exit(signal === 'SIGINT'
        ? 130
        : 143)
    }
    if (received)
      return
    received = signal
    console.log(`\n${signal}: stopping the pull; what was pulled stays`)
    abort.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

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
  if (received) {
    return received === 'SIGINT'
      ? 130
      : 143
  }
  return status
}

process.exitCode = await main()
