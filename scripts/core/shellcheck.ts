import { execa } from 'execa'

// Debian's shellcheck in gcc format, for the snippet checker (files) and the workflow checker
// (run: blocks on stdin, file "-").

export interface ShellcheckFinding {
  file: string
  line: number
  message: string
}

/** Runs shellcheck as bash; throws only when it could not check at all (exit status above 1). */
export async function runShellcheck(args: readonly string[], options: { cwd?: string, input?: string } = {}): Promise<string> {
  const result = await execa('shellcheck', ['--shell=bash', '--format=gcc', ...args], { ...options, reject: false })
  if (result.exitCode === undefined || result.exitCode > 1)
    throw new Error(`shellcheck could not run (exit ${result.exitCode}): ${result.stderr}`)
  return result.stdout
}

/** `file:line:column: level: message [SCnnnn]` lines; anything else is kept whole. */
export function parseShellcheckOutput(output: string): ShellcheckFinding[] {
  return output.split('\n').filter(Boolean).map((text) => {
    const match = /^(.+?):(\d+):\d+: (\w+): (.*)$/.exec(text)
    return match
      ? {
          file: match[1]!,
          line: Number(match[2]),
          message: `shellcheck ${match[3]}: ${match[4]}`,
        }
      : { file: '(shellcheck)', line: 1, message: text }
  })
}
