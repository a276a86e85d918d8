import type { StepSpec } from '../../scripts/snippet-check/scenarios'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { describe, expect, it } from 'vitest'
import { runStep } from '../../scripts/snippet-check/run-step'

// A step is a bash script whose commands may outlive bash itself: a timeout or a cancel must stop
// them all, or the result waits for whatever the step was running.

function stepRunning(body: string, timeoutSeconds: number): StepSpec {
  const dir = mkdtempSync(join(tmpdir(), 'run-step-'))
  const script = join(dir, '01-wait.sh')
  writeFileSync(script, `#!/usr/bin/env bash\n# Waits.\n${body}\n`)
  return {
    scenario: 'demo',
    name: '01-wait',
    id: 'demo/01-wait',
    script,
    otherOutcomes: {},
    timeoutSeconds,
    exit: [0],
    compare: 'none',
    hidden: false,
    live: true,
    createsCluster: false,
    manifestLine: 1,
    staged: false,
    alternatives: [],
  }
}

const environment = {
  cwd: tmpdir(),
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  clusterNames: new Map<string, string>(),
}

describe('runStep stops the whole step', () => {
  it('on a timeout, a child that bash is waiting for stops too', async () => {
    const started = Date.now()
    const result = await runStep(stepRunning('sleep 30; echo never', 1), environment)
    expect(result.status).toBe('failed')
    expect(result.reason).toBe('timed out after 1s')
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('on a cancel, a child in a pipeline stops too', async () => {
    const abort = new AbortController()
    setTimeout(() => abort.abort(), 300)
    const started = Date.now()
    const result = await runStep(stepRunning('sleep 30 | cat; echo never', 60), { ...environment, signal: abort.signal })
    expect(result.reason).toBe('stopped: the run was interrupted')
    expect(result.output).not.toContain('never')
    expect(Date.now() - started).toBeLessThan(5000)
  })
})
