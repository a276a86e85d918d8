import { describe, expect, it } from 'vitest'
import { SCENARIO_SCHEMA } from '../../scripts/snippet-check/scenario-schema'
import { readFailure, scenarioFolder, STEP_SCRIPT } from './scenario-folder'

// scenario.yaml's shape is a JSON schema checked by ajv; each kind of schema error must still
// read as clearly as the hand-written checks did, at the line of the key or value it is about.

function failure(yaml: string): string {
  return readFailure(scenarioFolder(yaml, { '01-hello.sh': STEP_SCRIPT, '02-bye.sh': STEP_SCRIPT, '01-hello.out': 'hello\n' }))
}

const head = '# Demo\nlive: false\nwhy: a test\n'
const steps = (first: string) => `${head}steps:\n  - step: 01-hello\n${first}  - step: 02-bye\n`

describe('scenario.yaml against its schema', () => {
  it.each([
    ['an unknown scenario key', `${head}clustr: x\nsteps:\n  - step: 01-hello\n  - step: 02-bye\n`, `4: unknown scenario key "clustr" (known: ${Object.keys(SCENARIO_SCHEMA.properties).join(', ')})`],
    [
      'an unknown step key',
      steps('    hiden: true\n'),
      '6: unknown step key "hiden" (known: step, timeout, exit, compare, hidden, live, why, creates-cluster, poll, stage, on-stage, alternatives)',
    ],
    [
      'an unknown poll key',
      steps('    poll: {every: 5s, deadline: 2m, often: 1s}\n'),
      '6: unknown poll key "often" (known: every, deadline)',
    ],
    ['no steps', head, '2: steps must be a non-empty list'],
    ['an empty steps list', `${head}steps: []\n`, '4: steps must be a non-empty list'],
    ['a step without its name', `${head}steps:\n  - timeout: 5s\n`, '5: step without "step: NN-name"'],
    ['a step that is not a mapping', `${head}steps:\n  - 01-hello\n`, '5: each step must be a mapping with at least "step: NN-name"'],
    [
      'a poll without its deadline',
      steps('    poll: {every: 5s}\n'),
      '6: poll needs both every and deadline',
    ],
    [
      'a poll that is not a mapping',
      steps('    poll: 5s\n'),
      '6: poll must be a mapping: {every: 5s, deadline: 2m}',
    ],
    ['a flag that is not true or false', steps('    hidden: yes\n'), '6: hidden must be true or false'],
    [
      'a duration without its unit',
      steps('    timeout: 90\n'),
      '6: timeout must be a duration such as 90s or 5m, got 90',
    ],
    [
      'a zero duration',
      steps('    on-stage: 0s\n'),
      '6: on-stage must be a duration such as 90s or 5m, got "0s"',
    ],
    [
      'a duration inside poll',
      steps('    poll: {every: soon, deadline: 2m}\n'),
      '6: poll.every must be a duration such as 90s or 5m, got "soon"',
    ],
    [
      'an exit status out of range',
      steps('    exit: 256\n'),
      '6: exit must be an exit status (0-255) or a list of them',
    ],
    [
      'an exit list with a word in it',
      steps('    exit: [0, one]\n'),
      '6: exit must be an exit status (0-255) or a list of them',
    ],
    [
      'an unknown comparison',
      steps('    compare: fuzzy\n'),
      '6: compare must be exact, pattern or none, got "fuzzy"',
    ],
    ['a cluster name kind refuses', `# Demo\ncluster: Startup_Init\nintro: A. B.\nsteps:\n  - step: 01-hello\n  - step: 02-bye\n`, '2: cluster name "Startup_Init" is not a valid kind cluster name'],
    ['after that is not a list', `${head}after: setup\nsteps:\n  - step: 01-hello\n  - step: 02-bye\n`, '4: after must be a list of scenario names'],
    ['an intro that is not text', `${head}intro: [a, b]\nsteps:\n  - step: 01-hello\n  - step: 02-bye\n`, '4: intro must be text: two or three sentences on why this scenario matters (WORKSHOP.md prints it above the steps)'],
    ['a reset item that is not a step name', `${head}steps:\n  - step: 01-hello\n  - step: 02-bye\nreset:\n  - {step: 02-bye}\n`, '8: reset must be a list of this scenario\'s step names (NN-name), e.g. [01-hello, 02-bye]'],
    [
      'an alternative named like an exit status',
      steps('    alternatives:\n      exit1: the network\n'),
      '7: alternative name "exit1" must be lower-case letters, digits and dashes, and not exit<N> (that is an exit status\'s outcome)',
    ],
    [
      'an alternative without its reason',
      steps('    alternatives:\n      offline: " "\n'),
      '7: alternative "offline" of step 01-hello needs a reason: why the step may print it instead of its .out',
    ],
    ['a document that is not a mapping', '# Demo\n- step: 01-hello\n', '2: scenario.yaml must be a mapping with a steps list'],
  ])('names the line of %s', (_, yaml, expected) => {
    expect(failure(yaml)).toBe(`snippets/demo/scenario.yaml:${expected}`)
  })

  it('reports the first problem in the file when there are several', () => {
    expect(failure(steps('    hidden: maybe\n    compare: fuzzy\n').replace('why: a test', 'why: a test\nwho: me'))).toBe('snippets/demo/scenario.yaml:4: unknown scenario key "who" (known: cluster, after, live, why, intro, steps, reset)')
  })

  it('passes a scenario that uses every key', () => {
    expect(failure(`# Demo\ncluster: demo\nafter: []\nlive: true\nintro: It says hello. Then it says bye.\nsteps:\n  - step: 01-hello\n    timeout: 90s\n    exit: [0]\n    compare: exact\n    hidden: true\n    poll: {every: 1s, deadline: 10s}\n    stage: true\n    creates-cluster: true\n  - step: 02-bye\n    live: false\n    why: nothing to say\n    on-stage: 2s\nreset: [01-hello]\n`)).toBe('no error')
  })
})
