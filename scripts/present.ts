import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { parseCommandLine, runCli } from './core/cli'
import { readScenarios, SnippetInputError } from './snippet-check/scenarios'
import { readPins } from './snippet-check/static-checks'
import { isLoopbackHost } from './talk/step-server-checks'
import { EXPOSED_MESSAGE, LIVE_STEPS_ENV } from './talk/step-server-plugin'

// npm run present [-- [slides.md] [--port N] [--no-open] [--log LEVEL]]
// Slidev's dev server, as `npm run dev` starts it, with live steps: each hands-on terminal gets a
// run control (setup/vite-plugins.ts adds the endpoint when SLIDEV_LIVE_STEPS=1). It serves on
// localhost only, so anything that would expose it beyond this machine is refused.
// Exit status: Slidev's, or 2 for bad usage, an exposed server, or snippets it cannot read.

const USAGE = 'usage: npm run present [-- [slides.md] [--port N] [--no-open] [--log error|warn|info|silent]]'
const repo = fileURLToPath(new URL('..', import.meta.url))

/** Slidev's options that would serve the deck beyond loopback, refused before anything starts. */
export function exposureRefusal(args: readonly string[]): string | undefined {
  for (const [i, arg] of args.entries()) {
    const [name, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined]
    if (name === '--remote' || name === '--tunnel')
      return `npm run present: refused ${name}: ${EXPOSED_MESSAGE}. For a remote audience view without run controls, use npm run dev -- --remote.`
    if (name === '--bind') {
      const value = inline ?? args[i + 1]
      if (!isLoopbackHost(value ?? true))
        return `npm run present: refused --bind ${value ?? ''}: ${EXPOSED_MESSAGE} (127.0.0.1, ::1 or localhost).`
    }
  }
  return undefined
}

async function main(argv: string[]): Promise<number> {
  const exposed = exposureRefusal(argv)
  if (exposed) {
    console.error(exposed)
    return 2
  }
  const parsed = parseCommandLine({
    args: argv,
    options: {
      port: { type: 'string', short: 'p' },
      open: { type: 'boolean', default: true },
      log: { type: 'string', default: 'warn' },
      // Accepted for symmetry with Slidev, and already checked to be loopback: without --remote
      // Slidev listens on localhost whatever --bind says.
      bind: { type: 'string' },
    },
    allowNegative: true,
    allowPositionals: true,
    strict: true,
  }, USAGE)
  const { values, positionals } = parsed
  if (positionals.length > 1) {
    console.error(`one deck at a time, got ${positionals.join(' ')}\n${USAGE}`)
    return 2
  }
  if (values.port !== undefined && !/^\d{2,5}$/.test(values.port)) {
    console.error(`--port must be a port number, got ${values.port}\n${USAGE}`)
    return 2
  }
  const entry = resolve(positionals[0] ?? 'slides.md')
  if (!existsSync(entry)) {
    console.error(`npm run present: no deck at ${entry}\n${USAGE}`)
    return 2
  }
  const root = dirname(entry)
  let scenarios
  try {
    scenarios = readScenarios(root)
    readPins(root)
  }
  catch (error) {
    if (error instanceof SnippetInputError) {
      console.error(`npm run present: the snippets cannot be read, so no step could run: ${error.message}`)
      return 2
    }
    throw error
  }
  const runnable = scenarios.flatMap(s => s.steps).filter(step => !step.hidden && step.live && !step.staged).length
  console.log(`present: live steps on (${runnable} steps can run from their slides), on localhost only.`)
  console.log('present: Tab to a terminal\'s run button, Enter runs the step (Enter again stops it), Esc gives the keys back to the slides.')

  const child = execa('slidev', [
    entry,
    ...(values.port ? ['--port', values.port] : []),
    ...(values.open ? ['--open'] : []),
    '--log',
    values.log,
  ], {
    cwd: root,
    preferLocal: true,
    localDir: repo,
    stdio: 'inherit',
    reject: false,
    env: { [LIVE_STEPS_ENV]: '1' },
  })
  // Ctrl-C reaches Slidev too (same terminal); wait for it to close its server and end.
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal)
  process.on('SIGINT', forward('SIGINT'))
  process.on('SIGTERM', forward('SIGTERM'))
  const result = await child
  return result.exitCode ?? (result.signal ? 1 : 0)
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  await runCli(() => main(process.argv.slice(2)))
