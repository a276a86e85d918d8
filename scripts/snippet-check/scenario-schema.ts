import type { ErrorObject } from 'ajv'
import type { Problem } from '../core/problem'
import type { YamlSource } from '../core/yaml'
import Ajv from 'ajv'
import { pathOfPointer } from '../core/yaml'

// The shape of snippets/<scenario>/scenario.yaml (keys, types, values), declared as JSON Schema
// and checked with ajv; snippets/README.md describes each key. What the shape cannot say (files
// beside the scenario, step order, intro sentences) readScenario checks after it.
//
// Each schema that can fail carries the message a person reads (`message`); objects name their
// kind for unknown keys (`noun`) and say what a missing key means (`missing`). Messages may
// use {value} (the offending value), {key} (its key), {name} (an offending key name), {step}
// (the step it is under) and {examples} (the scenario's first step names).

const DURATION = '^0*[1-9][0-9]*[sm]$'

function duration(key: string) {
  return { type: 'string', pattern: DURATION, message: `${key} must be a duration such as 90s or 5m, got {value}` }
}

function flag(key: string) {
  return { type: 'boolean', message: `${key} must be true or false` }
}

const exitStatus = { type: 'integer', minimum: 0, maximum: 255 }

const step = {
  type: 'object',
  noun: 'step',
  message: 'each step must be a mapping with at least "step: NN-name"',
  missing: 'step without "step: NN-name"',
  required: ['step'],
  additionalProperties: false,
  properties: {
    'step': { type: 'string', minLength: 1, message: 'step must be a step name (NN-name), got {value}' },
    'timeout': duration('timeout'),
    'exit': {
      message: 'exit must be an exit status (0-255) or a list of them',
      anyOf: [exitStatus, { type: 'array', minItems: 1, items: exitStatus }],
    },
    'compare': {
      enum: ['exact', 'pattern', 'none'],
      message: 'compare must be exact, pattern or none, got {value}',
    },
    'hidden': flag('hidden'),
    'live': flag('live'),
    'why': { type: 'string', message: 'why must be text: the reason the step never runs live' },
    'creates-cluster': flag('creates-cluster'),
    'poll': {
      type: 'object',
      noun: 'poll',
      message: 'poll must be a mapping: {every: 5s, deadline: 2m}',
      missing: 'poll needs both every and deadline',
      required: ['every', 'deadline'],
      additionalProperties: false,
      properties: {
        every: duration('poll.every'),
        deadline: duration('poll.deadline'),
      },
    },
    'stage': flag('stage'),
    'on-stage': duration('on-stage'),
    'alternatives': {
      type: 'object',
      minProperties: 1,
      message: 'alternatives must be a mapping of name: reason, e.g. {offline: no route to versioncheck.linkerd.io}',
      // A name becomes part of a file name, and exit<N> is taken by exit statuses' outcomes.
      propertyNames: {
        pattern: '^(?!exit[0-9]+$)[a-z][a-z0-9-]*$',
        message: 'alternative name "{name}" must be lower-case letters, digits and dashes, and not exit<N> (that is an exit status\'s outcome)',
      },
      additionalProperties: {
        type: 'string',
        pattern: '\\S',
        message: 'alternative "{key}" of step {step} needs a reason: why the step may print it instead of its .out',
      },
    },
  },
}

export const SCENARIO_SCHEMA = {
  $id: 'scenario.yaml',
  type: 'object',
  noun: 'scenario',
  message: 'scenario.yaml must be a mapping with a steps list',
  missing: 'steps must be a non-empty list',
  required: ['steps'],
  additionalProperties: false,
  properties: {
    cluster: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', message: 'cluster name {value} is not a valid kind cluster name' },
    after: {
      type: 'array',
      message: 'after must be a list of scenario names',
      items: { type: 'string', minLength: 1, message: 'after must be a list of scenario names' },
    },
    live: flag('live'),
    why: { type: 'string', message: 'why must be text: the reason the scenario never runs live' },
    intro: {
      type: 'string',
      pattern: '\\S',
      message: 'intro must be text: two or three sentences on why this scenario matters (WORKSHOP.md prints it above the steps)',
    },
    steps: {
      type: 'array',
      minItems: 1,
      items: step,
      message: 'steps must be a non-empty list',
    },
    reset: {
      type: 'array',
      message: 'reset must be a list of this scenario\'s step names, which npm run stage -- --reset runs first, e.g. [{examples}]',
      items: { type: 'string', minLength: 1, message: 'reset must be a list of this scenario\'s step names (NN-name), e.g. [{examples}]' },
    },
  },
} as const

/** scenario.yaml as the schema lets it through. */
export interface ScenarioFile {
  cluster?: string
  after?: string[]
  live?: boolean
  why?: string
  intro?: string
  steps: StepFile[]
  reset?: string[]
}

export interface StepFile {
  'step': string
  'timeout'?: string
  'exit'?: number | number[]
  'compare'?: 'exact' | 'pattern' | 'none'
  'hidden'?: boolean
  'live'?: boolean
  'why'?: string
  'creates-cluster'?: boolean
  'poll'?: { every: string, deadline: string }
  'stage'?: boolean
  'on-stage'?: string
  'alternatives'?: Record<string, string>
}

interface Annotated {
  message?: string
  noun?: string
  missing?: string
  properties?: Record<string, unknown>
}

const ajv = new Ajv({ allErrors: true, verbose: true })
ajv.addVocabulary(['message', 'noun', 'missing'])
const validate = ajv.compile<ScenarioFile>(SCENARIO_SCHEMA)

function at(data: unknown, path: ReadonlyArray<string | number>): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], data)
}

function fill(template: string, data: unknown, path: ReadonlyArray<string | number>, name: string | undefined): string {
  const steps = (at(data, ['steps']) as Array<{ step?: unknown }> | undefined) ?? []
  const examples = Array.isArray(steps) ? steps.slice(0, 2).map(s => String(s?.step)).join(', ') : ''
  const step = path[0] === 'steps' && typeof path[1] === 'number'
    ? String(at(data, ['steps', path[1], 'step']))
    : ''
  return template
    .replaceAll('{value}', JSON.stringify(at(data, path)) ?? 'nothing')
    .replaceAll('{key}', String(path.at(-1) ?? ''))
    .replaceAll('{name}', name ?? '')
    .replaceAll('{step}', step)
    .replaceAll('{examples}', examples)
}

/** One ajv error as a person reads it, at the line of the key or value it is about. */
function problemOf(source: YamlSource, data: unknown, error: ErrorObject): Problem | undefined {
  const schema = error.parentSchema as Annotated
  const path = pathOfPointer(error.instancePath)
  // Inside propertyNames ajv names the key; the propertyNames error itself only repeats it.
  const name = (error as ErrorObject & { propertyName?: string }).propertyName
  if (error.keyword === 'additionalProperties' && schema.noun) {
    const key = String(error.params.additionalProperty)
    const known = Object.keys(schema.properties ?? {}).join(', ')
    return source.problem(source.keyLineAt(path, key), `unknown ${schema.noun} key "${key}" (known: ${known})`)
  }
  if (error.keyword === 'required' && schema.missing)
    return source.problem(source.lineAt(path), schema.missing)
  if (error.keyword === 'propertyNames' || !schema.message)
    return undefined
  const line = name === undefined ? source.lineAt(path) : source.keyLineAt(path, name)
  return source.problem(line, fill(schema.message, data, path, name))
}

/**
 * scenario.yaml's value checked against SCENARIO_SCHEMA: the first problem in the file, or the
 * value typed. A message-less error (one branch of an `anyOf`) is told by the schema above it.
 */
export function scenarioShape(source: YamlSource, data: unknown): { file: ScenarioFile } | { problem: Problem } {
  if (validate(data))
    return { file: data }
  const problems = (validate.errors ?? [])
    .map(error => problemOf(source, data, error))
    .filter((problem): problem is Problem => problem !== undefined)
  const first = problems.sort((a, b) => a.line - b.line)[0]
  return { problem: first ?? source.problem(1, `does not match the scenario.yaml schema: ${ajv.errorsText(validate.errors)}`) }
}
