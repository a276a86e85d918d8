// What every checker reports: a file, the 1-based line on it, and what is wrong there, printed
// as `file:line: message` so editors and CI annotations can jump to it.

export interface Problem {
  file: string
  line: number
  message: string
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`
}

/** File by file, then line by line: the order a person fixes them in. */
export function byPosition(a: Problem, b: Problem): number {
  return a.file.localeCompare(b.file) || a.line - b.line
}

/** Bad input that stops a tool before it runs anything: one problem, its message formatted. */
export class ProblemError extends Error {
  override name = 'ProblemError'
  constructor(readonly problem: Problem) {
    super(formatProblem(problem))
  }
}
