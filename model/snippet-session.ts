// A hands-on step from snippets/ as a terminal session: the command from `NN-name.sh`, the
// expected output from `NN-name.out`, with the placeholders that stand for volatile text
// kept apart so they can be shown as such. Formats: snippets/README.md.

export const PLACEHOLDERS = {
  'hash': 'generated part of a pod name',
  'age': 'AGE column',
  'duration': 'DURATION column',
  'restarts': 'restart count, e.g. 3 (40s ago)',
  'timestamp': 'RFC 3339 timestamp',
  'latest-edge': 'newest edge release',
  'os-arch': 'platform suffix',
  'digest': 'SHA-256 digest',
  'curl-error': 'curl\'s error line',
  'net-error': 'network error; its wording depends on how the connection failed',
} as const

export type PlaceholderName = keyof typeof PLACEHOLDERS

export type OutputSegment
  = | { kind: 'text', text: string }
    | { kind: 'volatile', name: PlaceholderName, meaning: string }

export interface SnippetSession {
  step: string
  /** Line 2 of the script: what the step shows. */
  description: string
  /** The command as written, continuation lines included. */
  commandLines: string[]
  /** Undefined when the step has no `.out` file. */
  output?: OutputSegment[][]
}

export class SnippetFormatError extends Error {
  override name = 'SnippetFormatError'
  constructor(readonly file: string, readonly line: number, readonly detail: string) {
    super(`${file}:${line}: ${detail}`)
  }
}

function isPlaceholder(name: string): name is PlaceholderName {
  return Object.hasOwn(PLACEHOLDERS, name)
}

export function parseStepScript(text: string, file: string): Pick<SnippetSession, 'description' | 'commandLines'> {
  const lines = text.replace(/\n$/, '').split('\n')
  if (lines[0] !== '#!/usr/bin/env bash')
    throw new SnippetFormatError(file, 1, 'line 1 must be #!/usr/bin/env bash')
  const description = lines[1] ?? ''
  if (!description.startsWith('# '))
    throw new SnippetFormatError(file, 2, 'line 2 must be a "# " comment saying what the step shows')
  const commandLines = lines.slice(2)
  if (commandLines.every(line => line.trim() === ''))
    throw new SnippetFormatError(file, 3, 'the step has no command')
  return {
    description: description.slice(2),
    commandLines,
  }
}

export function parseExpectedOutput(text: string, file: string): OutputSegment[][] {
  return text.replace(/\n$/, '').split('\n').map((line, index) => {
    const segments: OutputSegment[] = []
    let rest = line
    for (;;) {
      const open = rest.indexOf('{{')
      if (open < 0)
        break
      const close = rest.indexOf('}}', open)
      if (close < 0)
        throw new SnippetFormatError(file, index + 1, 'unclosed {{ placeholder')
      const name = rest.slice(open + 2, close)
      if (!isPlaceholder(name))
        throw new SnippetFormatError(file, index + 1, `unknown placeholder {{${name}}}; known: ${Object.keys(PLACEHOLDERS).join(', ')}`)
      if (open > 0) {
        segments.push({
          kind: 'text',
          text: rest.slice(0, open),
        })
      }
      segments.push({ kind: 'volatile', name, meaning: PLACEHOLDERS[name] })
      rest = rest.slice(close + 2)
    }
    if (rest !== '' || segments.length === 0)
      segments.push({ kind: 'text', text: rest })
    return segments
  })
}

/**
 * Builds a step's session from the snippet files, keyed by path relative to the repository
 * (`snippets/a-default-install/07-containers.sh`). `step` is `scenario/NN-name`.
 */
export function snippetSession(files: Readonly<Record<string, string>>, step: string): SnippetSession {
  const scriptFile = `snippets/${step}.sh`
  const outputFile = `snippets/${step}.out`
  const script = files[scriptFile]
  if (script === undefined)
    throw new SnippetFormatError(scriptFile, 1, `no such step "${step}"`)
  const session: SnippetSession = {
    step,
    ...parseStepScript(script, scriptFile),
  }
  const output = files[outputFile]
  if (output !== undefined)
    session.output = parseExpectedOutput(output, outputFile)
  return session
}

/** `KEY=value` lines, `#` comments and blank lines; anything else is an error. */
export function parseVersionsEnv(text: string, file = 'snippets/versions.env'): Record<string, string> {
  const values: Record<string, string> = {}
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '' || line.startsWith('#'))
      return
    const match = /^([A-Z][A-Z0-9_]*)=(\S+)$/.exec(line)
    if (!match)
      throw new SnippetFormatError(file, index + 1, `expected KEY=value, got "${line}"`)
    values[match[1]!] = match[2]!
  })
  return values
}

/** Whether each command line starts a new command (and so gets a prompt) or continues one. */
export function startsCommand(commandLines: readonly string[]): boolean[] {
  return commandLines.map((_, i) => {
    const previous = commandLines[i - 1]?.trimEnd()
    return previous === undefined || !/(?:\\|\||&&)$/.test(previous)
  })
}
