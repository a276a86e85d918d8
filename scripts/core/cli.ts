import process from 'node:process'

/** Ends a command-line tool with a message for a person, not a stack trace. */
export function failWith(message: string, exitCode = 1): never {
  console.error(message)
  process.exit(exitCode)
}
