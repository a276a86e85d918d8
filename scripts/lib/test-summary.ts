export interface StepResult {
  name: string
  passed: number
  failed: number
}

interface VitestJsonReport {
  numPassedTests: number
  numFailedTests: number
  numPendingTests?: number
  numTodoTests?: number
  testResults?: Array<{ status: string, message?: string }>
}

/** Counts from Vitest's JSON reporter; a test file that failed to load counts as a failure too. */
export function countVitest(report: VitestJsonReport): { passed: number, failed: number, skipped: number } {
  const brokenFiles = (report.testResults ?? []).filter(file => file.status === 'failed' && file.message).length
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  }
}

export function summaryLine(results: StepResult[]): string {
  const passed = results.reduce((sum, result) => sum + result.passed, 0)
  const failed = results.reduce((sum, result) => sum + result.failed, 0)
  return `${passed} passed, ${failed} failed`
}
