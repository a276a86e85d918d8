import type { ParseArgsConfig } from 'node:util'
import process from 'node:process'
import { parseArgs } from 'node:util'

// One way for a command-line tool to end: `runCli(main)`. main returns the exit status, or throws
// a CliError (or an error type the tool names as expected) whose message is for a person, printed
// without a stack trace. SIGINT/SIGTERM end a tool with 130/143, whichever tool it is.

/** A message for a person and the exit status it ends the tool with (2: bad usage or input). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message)
    this.name = 'CliError'
  }
}

/** Errors a tool expects (bad input files, a missing browser): each printed as its message. */
export type ExpectedErrors = ReadonlyArray<readonly [abstract new (...args: never[]) => Error, number]>

export async function runCli(main: () => number | Promise<number>, expected: ExpectedErrors = []): Promise<void> {
  try {
    process.exitCode = await main()
  }
  catch (error) {
    const exitCode = error instanceof CliError
      ? error.exitCode
      : expected.find(([type]) => error instanceof type)?.[1]
    if (exitCode === undefined)
      throw error
    console.error((error as Error).message)
    process.exitCode = exitCode
  }
}

/** node:util's parseArgs, with a bad option or value reported as bad usage (status 2) and `usage`. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config)
  }
  catch (error) {
    throw new CliError(`${(error as Error).message}\n${usage}`)
  }
}

export type StopSignal = 'SIGINT' | 'SIGTERM'

const STOP_EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 }

/** The shell's convention, 128 + the signal's number. */
export function stopExitCode(signal: StopSignal): number {
  return STOP_EXIT_CODES[signal]
}

/** Calls `listener` on every SIGINT and SIGTERM until the returned function is called. */
export function onStopSignal(listener: (signal: StopSignal) => void): () => void {
  const onSigint = () => listener('SIGINT')
  const onSigterm = () => listener('SIGTERM')
  process.on('SIGINT', onSigint)
  process.on('SIGTERM', onSigterm)
  return () => {
    process.off('SIGINT', onSigint)
    process.off('SIGTERM', onSigterm)
  }
}

export interface Interruption {
  /** Aborted by the first SIGINT/SIGTERM. */
  signal: AbortSignal
  /** The signal that arrived, if one did. */
  received: () => StopSignal | undefined
  dispose: () => void
}

/** The first SIGINT/SIGTERM aborts the work in progress (after `onFirst`); later ones are ignored. */
export function watchInterruption(onFirst: (signal: StopSignal) => void): Interruption {
  const abort = new AbortController()
  let received: StopSignal | undefined
  const dispose = onStopSignal((signal) => {
    if (received)
      return
    received = signal
    onFirst(signal)
    abort.abort()
  })
  return {
    signal: abort.signal,
    received: () => received,
    dispose,
  }
}
