import type { OutputSegment } from '../../model/snippet-session'
import { createTwoFilesPatch } from 'diff'
import { parseExpectedOutput } from '../../model/snippet-session'

// Compares what a step printed with its .out file. `pattern` is how tables and logs are
// compared: each {{placeholder}} matches any non-empty text on its line, and runs of spaces
// match any whitespace, because column widths follow the real pod names.

export interface OutputComparison {
  matches: boolean
  /** A unified diff, expected → actual, when they differ. */
  diff?: string
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export function linePattern(segments: readonly OutputSegment[]): RegExp {
  const body = segments.map(segment => segment.kind === 'volatile'
    ? '(?:\\S.*?)'
    : escapeRegExp(segment.text).replace(/\s+/g, '\\s+')).join('')
  return new RegExp(`^${body}$`)
}

function significantLines(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n').map(line => line.trimEnd())
  while (lines.length > 0 && lines.at(-1) === '')
    lines.pop()
  return lines
}

export function compareOutput(expectedText: string, actualText: string, mode: 'exact' | 'pattern', file = 'expected output'): OutputComparison {
  const expected = significantLines(expectedText)
  const actual = significantLines(actualText)
  let shownActual: string[]
  if (mode === 'exact') {
    shownActual = actual
  }
  else {
    const patterns = parseExpectedOutput(expected.join('\n'), file).map(linePattern)
    // A line that matches its pattern is shown as the expected line, so the diff points
    // only at the lines that really differ.
    shownActual = actual.map((line, i) => (patterns[i]?.test(line) ? expected[i]! : line))
  }
  const matches = shownActual.length === expected.length && shownActual.every((line, i) => line === expected[i])
  if (matches)
    return { matches }
  return {
    matches,
    diff: createTwoFilesPatch(file, 'actual output', `${expected.join('\n')}\n`, `${shownActual.join('\n')}\n`, '', '', { context: 2 }),
  }
}
