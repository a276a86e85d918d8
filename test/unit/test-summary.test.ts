import { describe, expect, it } from 'vitest'
import { countVitest, failedTestNames, summaryLine } from '../../scripts/core/test-summary'

const report = {
  numPassedTests: 3,
  numFailedTests: 1,
  numPendingTests: 1,
  testResults: [
    {
      name: '/repo/test/unit/a.test.ts',
      status: 'passed',
      assertionResults: [{ fullName: 'a works', status: 'passed' }],
    },
    {
      name: '/repo/test/unit/b.test.ts',
      status: 'failed',
      assertionResults: [
        { fullName: 'b breaks', status: 'failed' },
        { fullName: 'b works', status: 'passed' },
      ],
    },
    {
      name: '/repo/test/unit/c.test.ts',
      status: 'failed',
      message: 'SyntaxError',
      assertionResults: [],
    },
  ],
}

describe('the test summary', () => {
  it('counts a file that failed to load as a failure, and skipped tests as neither', () => {
    expect(countVitest(report)).toEqual({ passed: 3, failed: 2, skipped: 1 })
  })

  it('names every failed test and every file that failed to load', () => {
    expect(failedTestNames(report, '/repo')).toEqual([
      'test/unit/b.test.ts › b breaks',
      'test/unit/c.test.ts › (the file failed to load)',
    ])
  })

  it('ends with one plain line', () => {
    expect(summaryLine([
      { name: 'x', passed: 2, failed: 1 },
      { name: 'y', passed: 1, failed: 0 },
    ])).toBe('3 passed, 1 failed')
  })
})
