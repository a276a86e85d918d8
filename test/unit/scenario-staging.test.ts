import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readScenario, readScenarios, SnippetInputError } from '../../scripts/snippet-check/scenarios'

// scenario.yaml's staging keys: `stage: true` (run by npm run stage before the talk) and
// `on-stage: 10s` (how long a step run during the talk takes).

function scenarioIn(yaml: string, steps = ['01-create', '02-wait', '03-show']): string {
  const root = mkdtempSync(join(tmpdir(), 'staging-'))
  const dir = join(root, 'snippets', 'demo')
  mkdirSync(dir, { recursive: true })
  for (const step of steps)
    writeFileSync(join(dir, `${step}.sh`), '#!/usr/bin/env bash\n# A step.\ntrue\n')
  writeFileSync(join(dir, 'scenario.yaml'), yaml)
  return root
}

function failure(root: string): string {
  try {
    readScenario(root, 'demo')
  }
  catch (error) {
    if (error instanceof SnippetInputError)
      return error.message
    throw error
  }
  return 'no error'
}

describe('scenario.yaml staging keys', () => {
  it('reads staged steps and the time each other step takes on stage', () => {
    const root = scenarioIn('# Demo\ncluster: demo\nsteps:\n  - step: 01-create\n    stage: true\n  - step: 02-wait\n    on-stage: 15s\n  - step: 03-show\n    on-stage: 2s\n')
    const [first, second, third] = readScenario(root, 'demo').steps
    expect(first).toMatchObject({ staged: true })
    expect(first!.onStageSeconds).toBeUndefined()
    expect(second).toMatchObject({ staged: false, onStageSeconds: 15 })
    expect(third).toMatchObject({ staged: false, onStageSeconds: 2 })
  })

  it('refuses a staged step after one that runs on stage, naming its line', () => {
    const root = scenarioIn('# Demo\ncluster: demo\nsteps:\n  - step: 01-create\n    stage: true\n  - step: 02-wait\n    on-stage: 5s\n  - step: 03-show\n    stage: true\n')
    expect(failure(root)).toBe('snippets/demo/scenario.yaml:8: step 03-show is staged after 02-wait, which runs on stage: staged steps must come first')
  })

  it('refuses a step run on stage that does not say how long it takes', () => {
    const root = scenarioIn('# Demo\ncluster: demo\nsteps:\n  - step: 01-create\n    stage: true\n  - step: 02-wait\n  - step: 03-show\n    on-stage: 2s\n')
    expect(failure(root)).toBe('snippets/demo/scenario.yaml:6: step 02-wait runs on stage, so it must say how long it takes there (on-stage: 10s), or be staged (stage: true)')
  })

  it('refuses a step that would keep the room waiting longer than 20 s', () => {
    const root = scenarioIn('# Demo\ncluster: demo\nsteps:\n  - step: 01-create\n    stage: true\n  - step: 02-wait\n    timeout: 90s\n    on-stage: 45s\n  - step: 03-show\n    on-stage: 2s\n')
    expect(failure(root)).toBe('snippets/demo/scenario.yaml:8: step 02-wait takes 45s on stage, longer than the 20s a room should wait: stage it, or make it quicker')
  })

  it('refuses on-stage on a staged step, and a staged step in a scenario that never runs live', () => {
    const both = scenarioIn('# Demo\ncluster: demo\nsteps:\n  - step: 01-create\n    stage: true\n    on-stage: 5s\n  - step: 02-wait\n    on-stage: 5s\n  - step: 03-show\n    on-stage: 2s\n')
    expect(failure(both)).toBe('snippets/demo/scenario.yaml:6: step 01-create is staged (run before the talk), so it takes no time on stage; drop on-stage')
    const never = scenarioIn('# Demo\nlive: false\nwhy: a checklist\nsteps:\n  - step: 01-create\n    stage: true\n  - step: 02-wait\n  - step: 03-show\n')
    expect(failure(never)).toBe('snippets/demo/scenario.yaml:5: step 01-create is staged, but its scenario never runs live')
  })

  it('holds the real snippets to it: every step of the talk is staged or timed', () => {
    const scenarios = readScenarios(join(import.meta.dirname, '..', '..'))
    for (const step of scenarios.filter(s => s.live).flatMap(s => s.steps).filter(s => s.live))
      expect(step.staged || step.onStageSeconds !== undefined, step.id).toBe(true)
  })
})
