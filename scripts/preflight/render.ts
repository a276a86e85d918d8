import type { Check, Status } from './checks'
import type { PullResult } from './images'
import { decimalSize } from './figures'

// What `npm run preflight` prints: one line per check, `ok`, `warn`, `FAIL` or `skip`, the check's
// name and what it found; under a FAIL or warn, its fix, each line starting `fix:` or indented
// under it. Then, with --pull, one line per image; then one summary line. Pure.

const WIDTH = 6
const INDENT = ' '.repeat(WIDTH)

function fixLines(fix: readonly string[] | undefined): string[] {
  return (fix ?? []).map((line, index) => `${INDENT}${index === 0 ? 'fix: ' : '     '}${line}`)
}

export function checkLines(check: Check): string[] {
  return [`${check.status.padEnd(WIDTH)}${check.name}: ${check.detail}`, ...fixLines(check.fix)]
}

export function pullLines(result: PullResult): string[] {
  const size = result.size === undefined ? '' : ` (${decimalSize(result.size)})`
  switch (result.status) {
    case 'pulled': return [`${'pulled'.padEnd(WIDTH + 2)}${result.image}${size}`]
    case 'present': return [`${'present'.padEnd(WIDTH + 2)}${result.image}${size}`]
    case 'interrupted': return [`${'stopped'.padEnd(WIDTH + 2)}${result.image}: interrupted, not pulled`]
    case 'failed': return [
      `${'FAIL'.padEnd(WIDTH + 2)}${result.image}: ${result.error ?? 'could not pull'}`,
      `${INDENT}  fix: check the network (a proxy for Docker is set in Docker, not in your shell), then run npm run preflight -- --pull again: what was pulled stays.`,
    ]
  }
}

export function counts(statuses: readonly Status[]): Record<Status, number> {
  const tally: Record<Status, number> = { ok: 0, warn: 0, FAIL: 0, skip: 0 }
  for (const status of statuses)
    tally[status] += 1
  return tally
}

/** The last line: how many of each, and whether the hands-on can run. */
export function summaryLine(checks: readonly Check[], pulls: readonly PullResult[] = []): string {
  const tally = counts(checks.map(c => c.status))
  const failedPulls = pulls.filter(p => p.status === 'failed' || p.status === 'interrupted').length
  const parts = [
    `${tally.ok} ok`,
    ...(tally.warn > 0 ? [`${tally.warn} warn`] : []),
    ...(tally.FAIL > 0 ? [`${tally.FAIL} FAIL`] : []),
    ...(tally.skip > 0 ? [`${tally.skip} skipped`] : []),
    ...(failedPulls > 0 ? [`${failedPulls} image${failedPulls === 1 ? '' : 's'} not pulled`] : []),
  ]
  const verdict = tally.FAIL > 0 || failedPulls > 0
    ? 'not ready: fix each FAIL above, then run npm run preflight again'
    : tally.warn > 0 ? 'ready for the hands-on; read the warnings above' : 'ready for the hands-on'
  return `preflight: ${parts.join(', ')}: ${verdict}.`
}
