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
  testResults?: Array<{
    name?: string
    status: string
    message?: string
    assertionResults?: Array<{ fullName?: string, title?: string, status: string }>
  }>
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

/** "file › test name" for every failed test, so a summary read from its tail still names them. */
export function failedTestNames(report: VitestJsonReport, root = ''): string[] {
  return (report.testResults ?? []).flatMap((file) => {
    const fileName = (file.name ?? '?').replace(root, '').replace(/^\//, '')
    const failedTests = (file.assertionResults ?? [])
      .filter(test => test.status === 'failed')
      .map(test => `${fileName} › ${test.fullName ?? test.title ?? '?'}`)
    return failedTests.length || file.status !== 'failed'
      ? failedTests
      : [`${fileName} › (the file failed to load)`]
  })
}
