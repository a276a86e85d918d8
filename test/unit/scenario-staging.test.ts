import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ON_STAGE_LIMIT_SECONDS, readScenario, readScenarios } from '../../scripts/snippet-check/scenarios'
import { stepsForRun } from '../../scripts/talk/talk-steps'
import { readFailure, scenarioFolder, STEP_SCRIPT } from './scenario-folder'

// scenario.yaml's staging keys: `stage: true` (run by npm run stage before the talk),
// `on-stage: 10s` (how long a step run during the talk takes) and `reset: [...]` (steps that
// npm run stage -- --reset runs first). The rules a bad reset: breaks with a fixture each (unknown
// step, not live, not a list) are in check-snippets-static.test.ts.

function scenarioIn(yaml: string, steps = ['01-create', '02-wait', '03-show']): string {
  return scenarioFolder(yaml, Object.fromEntries(steps.map(step => [`${step}.sh`, STEP_SCRIPT])))
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
    expect(readFailure(root)).toBe('snippets/demo/scenario.yaml:8: step 03-show is staged after 02-wait, which runs on stage: staged steps must come first')
  })

  it('refuses a step run on stage that does not say how long it takes', () => {
    const root = scenarioIn('# Demo\ncluster: demo\nsteps:\n  - step: 01-create\n    stage: true\n  - step: 02-wait\n  - step: 03-show\n    on-stage: 2s\n')
    expect(readFailure(root)).toBe('snippets/demo/scenario.yaml:6: step 02-wait runs on stage, so it must say how long it takes there (on-stage: 10s), or be staged (stage: true)')
  })

  it('refuses a step that would keep the room waiting longer than 20 s', () => {
    const root = scenarioIn('# Demo\ncluster: demo\nsteps:\n  - step: 01-create\n    stage: true\n  - step: 02-wait\n    timeout: 90s\n    on-stage: 45s\n  - step: 03-show\n    on-stage: 2s\n')
    expect(readFailure(root)).toBe('snippets/demo/scenario.yaml:8: step 02-wait takes 45s on stage, longer than the 20s a room should wait: stage it, or make it quicker')
  })

  it('refuses on-stage on a staged step, and a staged step in a scenario that never runs live', () => {
    const both = scenarioIn('# Demo\ncluster: demo\nsteps:\n  - step: 01-create\n    stage: true\n    on-stage: 5s\n  - step: 02-wait\n    on-stage: 5s\n  - step: 03-show\n    on-stage: 2s\n')
    expect(readFailure(both)).toBe('snippets/demo/scenario.yaml:6: step 01-create is staged (run before the talk), so it takes no time on stage; drop on-stage')
    const never = scenarioIn('# Demo\nlive: false\nwhy: a checklist\nsteps:\n  - step: 01-create\n    stage: true\n  - step: 02-wait\n  - step: 03-show\n')
    expect(readFailure(never)).toBe('snippets/demo/scenario.yaml:5: step 01-create is staged, but its scenario never runs live')
  })

  it('refuses a shown step whose run, with the hidden steps right before it, keeps the room waiting over 20 s', () => {
    const steps = ['01-create', '02-wait', '03-list', '04-next', '05-show']
    const yaml = (seconds: [number, number, number, number]) => `# Demo\ncluster: demo\nsteps:\n  - step: 01-create\n    stage: true\n  - step: 02-wait\n    on-stage: ${seconds[0]}s\n    hidden: true\n  - step: 03-list\n    on-stage: ${seconds[1]}s\n    hidden: true\n  - step: 04-next\n    on-stage: ${seconds[2]}s\n    hidden: true\n  - step: 05-show\n    on-stage: ${seconds[3]}s\n`
    // d-cni-broken/17-still-failing as it once was: 14-wait-cni, 15-conflist, 16-next-attempt first.
    expect(readFailure(scenarioIn(yaml([15, 5, 15, 10]), steps))).toBe('snippets/demo/scenario.yaml:15: step 05-show keeps the room waiting 45s when run from its slide: the hidden 02-wait (15s), 03-list (5s) and 04-next (15s) run first, then it takes 10s; at most 20s: show one of them (it then runs on its own), stage it, or make it quicker')
    expect(readFailure(scenarioIn(yaml([1, 1, 18, 1]), steps))).toBe('snippets/demo/scenario.yaml:15: step 05-show keeps the room waiting 21s when run from its slide: the hidden 02-wait (1s), 03-list (1s) and 04-next (18s) run first, then it takes 1s; at most 20s: show one of them (it then runs on its own), stage it, or make it quicker')
    // 20 s is the limit itself.
    expect(readFailure(scenarioIn(yaml([1, 1, 17, 1]), steps))).toBe('no error')
    const one = scenarioIn('# Demo\ncluster: demo\nsteps:\n  - step: 01-create\n    stage: true\n  - step: 02-wait\n    on-stage: 15s\n    hidden: true\n  - step: 03-show\n    on-stage: 6s\n')
    expect(readFailure(one)).toBe('snippets/demo/scenario.yaml:9: step 03-show keeps the room waiting 21s when run from its slide: the hidden 02-wait (15s) runs first, then it takes 6s; at most 20s: show one of them (it then runs on its own), stage it, or make it quicker')
    // Staged hidden steps run before the talk, not with the step; a step alone is held by on-stage's own limit.
    expect(readFailure(scenarioIn('# Demo\ncluster: demo\nsteps:\n  - step: 01-create\n    stage: true\n    hidden: true\n  - step: 02-wait\n    on-stage: 20s\n  - step: 03-show\n    on-stage: 20s\n'))).toBe('no error')
  })

  it('refuses a hidden step that runs on stage with no shown step after it: no slide would ever run it', () => {
    const last = scenarioIn('# Demo\ncluster: demo\nsteps:\n  - step: 01-create\n    stage: true\n  - step: 02-wait\n    on-stage: 2s\n  - step: 03-show\n    on-stage: 2s\n    hidden: true\n')
    expect(readFailure(last)).toBe('snippets/demo/scenario.yaml:8: step 03-show is hidden and runs on stage, but no shown step that runs live comes after it, so no slide ever runs it (a run control runs the hidden steps right before its step): show it, stage it, or move it before a shown step')
    // Followed only by hidden steps, or by a shown step that never runs live: the same.
    const hiddenOnly = scenarioIn('# Demo\ncluster: demo\nsteps:\n  - step: 01-create\n    stage: true\n  - step: 02-wait\n    on-stage: 2s\n    hidden: true\n  - step: 03-show\n    on-stage: 2s\n    hidden: true\n')
    expect(readFailure(hiddenOnly)).toMatch(/^snippets\/demo\/scenario\.yaml:6: step 02-wait is hidden and runs on stage, but no shown step/)
    const notLive = scenarioIn('# Demo\ncluster: demo\nsteps:\n  - step: 01-create\n    stage: true\n  - step: 02-wait\n    on-stage: 2s\n    hidden: true\n  - step: 03-show\n    live: false\n    why: a checklist\n')
    expect(readFailure(notLive)).toMatch(/^snippets\/demo\/scenario\.yaml:6: step 02-wait is hidden and runs on stage, but no shown step that runs live/)
    // Staged, never live, or in a scenario that never runs live: never run on stage, so no rule.
    expect(readFailure(scenarioIn('# Demo\ncluster: demo\nsteps:\n  - step: 01-create\n    stage: true\n  - step: 02-wait\n    on-stage: 2s\n  - step: 03-show\n    hidden: true\n    live: false\n    why: prints a secret\n'))).toBe('no error')
    expect(readFailure(scenarioIn('# Demo\nlive: false\nwhy: a checklist\nsteps:\n  - step: 01-create\n  - step: 02-wait\n  - step: 03-show\n    hidden: true\n'))).toBe('no error')
  })

  it('holds d-cni-broken to it: each run from a slide, hidden steps included, takes at most 20 s', () => {
    const d = readScenario(join(import.meta.dirname, '..', '..'), 'd-cni-broken')
    const runs = d.steps.filter(step => !step.staged && !step.hidden && step.live).map((step) => {
      const steps = stepsForRun(d, step.name)
      return `${steps.map(s => s.name).join(' + ')}: ${steps.reduce((sum, s) => sum + (s.onStageSeconds ?? 0), 0)}s`
    })
    expect(runs).toEqual([
      '07-restart-destination + 08-pods: 6s',
      '09-exit-code: 2s',
      '10-logs-default: 2s',
      '11-validator-log: 2s',
      '12-control-plane: 4s',
      '13-repair-cni: 4s',
      '14-wait-cni + 15-conflist: 20s',
      '16-next-attempt: 15s',
      '17-still-failing: 10s',
      '18-recreate: 15s',
      '19-wait-destination + 20-pods: 7s',
    ])
    expect(Math.max(...runs.map(run => Number(/(\d+)s$/.exec(run)![1])))).toBeLessThanOrEqual(ON_STAGE_LIMIT_SECONDS)
  })

  it('holds the real snippets to it: every step of the talk is staged or timed', () => {
    const scenarios = readScenarios(join(import.meta.dirname, '..', '..'))
    for (const step of scenarios.filter(s => s.live).flatMap(s => s.steps).filter(s => s.live))
      expect(step.staged || step.onStageSeconds !== undefined, step.id).toBe(true)
  })
})

describe('scenario.yaml reset:', () => {
  const steps = (reset: string) => `# Demo\ncluster: demo\n${reset}steps:\n  - step: 01-create\n    stage: true\n  - step: 02-wait\n    on-stage: 5s\n  - step: 03-show\n    on-stage: 2s\n`

  it('reads the steps --reset runs first, in the scenario\'s order; none without the key', () => {
    expect(readScenario(scenarioIn(steps('reset: [02-wait, 03-show]\n')), 'demo').reset.map(step => step.id)).toEqual(['demo/02-wait', 'demo/03-show'])
    expect(readScenario(scenarioIn(steps('')), 'demo').reset).toEqual([])
    // The same step objects as steps: lists, with their timeouts and polls.
    const scenario = readScenario(scenarioIn(steps('reset: [02-wait]\n')), 'demo')
    expect(scenario.reset[0]).toBe(scenario.steps[1])
  })

  it('refuses a step listed twice, a list out of the scenario\'s order and an entry that is not a name', () => {
    expect(readFailure(scenarioIn(steps('reset:\n  - 02-wait\n  - 02-wait\n')))).toBe('snippets/demo/scenario.yaml:5: reset: step 02-wait is listed twice')
    expect(readFailure(scenarioIn(steps('reset: [03-show, 02-wait]\n')))).toBe('snippets/demo/scenario.yaml:3: reset: step 02-wait comes before 03-show in steps; list the reset steps in the scenario\'s order, the order --reset runs them in')
    expect(readFailure(scenarioIn(steps('reset:\n  - step: 02-wait\n')))).toBe('snippets/demo/scenario.yaml:4: reset must be a list of this scenario\'s step names (NN-name), e.g. [01-create, 02-wait]')
  })

  it('refuses a step of a scenario that never runs live', () => {
    const never = scenarioIn('# Demo\nlive: false\nwhy: a checklist\nreset: [02-wait]\nsteps:\n  - step: 01-create\n  - step: 02-wait\n  - step: 03-show\n')
    expect(readFailure(never)).toBe('snippets/demo/scenario.yaml:4: reset: step 02-wait never runs on a cluster (a checklist), so npm run stage -- --reset can\'t run it')
  })

  it('holds d-cni-broken to it: the repair and the recreation, every one run on stage, never staged', () => {
    const d = readScenario(join(import.meta.dirname, '..', '..'), 'd-cni-broken')
    expect(d.reset.map(step => step.name)).toEqual([
      '13-repair-cni',
      '14-wait-cni',
      '18-recreate',
      '19-wait-destination',
    ])
    for (const step of d.reset)
      expect(step.live && !step.staged, step.id).toBe(true)
  })
})
