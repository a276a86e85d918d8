import type { Node } from 'yaml'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml'
import { parseExpectedOutput, SnippetFormatError } from '../../model/snippet-session'

// The hands-on scenarios as the checker sees them: snippets/<scenario>/scenario.yaml orders
// the scenario's steps and says how to run and judge each. Format: snippets/README.md.

export type Comparison = 'exact' | 'pattern' | 'none'

export interface StepSpec {
  scenario: string
  name: string
  /** `scenario/name`, as slides and reports name a step. */
  id: string
  script: string
  expectedOutput?: string
  /** For each allowed exit status after the first: `NN-name.exit<N>.out`, what that outcome prints. */
  otherOutcomes: Record<number, string>
  /**
   * Other outputs the first exit status may print, each for a reason outside the cluster's
   * control (`alternatives: {offline: why}` → `NN-name.offline.out`); the step passes if its
   * output matches the `.out` or any of them.
   */
  alternatives: Alternative[]
  timeoutSeconds: number
  /** Allowed exit statuses; the expected output is compared only for the first. */
  exit: number[]
  compare: Comparison
  hidden: boolean
  live: boolean
  why?: string
  createsCluster: boolean
  poll?: { everySeconds: number, deadlineSeconds: number }
  /** `stage: true`: `npm run stage` runs it before the talk; the staged steps are the scenario's first ones. */
  staged: boolean
  /** `on-stage: 15s`: how long the step takes when run during the talk; every step run on stage declares it. */
  onStageSeconds?: number
  /** Where the step is declared, for messages. */
  manifestLine: number
}

export interface Alternative {
  /** `offline` in `alternatives: {offline: ...}`; the file is `NN-name.offline.out`. */
  name: string
  /** Why the step may print this instead of its `.out`. */
  reason: string
  path: string
}

export interface Scenario {
  name: string
  title: string
  manifest: string
  /** The kind cluster the steps name (e.g. startup-init); none for scenarios that never run live. */
  cluster?: string
  after: string[]
  /** Line of the `after:` list (or 1), for messages about it. */
  afterLine: number
  live: boolean
  why?: string
  /**
   * `intro:` two or three sentences on why the scenario matters, which WORKSHOP.md prints above
   * its steps. Required of a scenario that runs live (checkIntros); optional otherwise.
   */
  intro?: string
  /** Line of the `intro:` value, or of the scenario's first key when it has none, for messages. */
  introLine: number
  steps: StepSpec[]
  /**
   * `reset: [13-repair-cni, ...]`: steps of this scenario, in its order, that
   * `npm run stage -- --reset` runs before anything else, to undo what a rehearsal changed beyond
   * the scenario's manifests (a repaired CNI chain, a restarted control-plane pod). Every one
   * runs on a cluster (`live`). Empty when the key is absent.
   */
  reset: StepSpec[]
}

/** Bad input: the file and line it is on, and what is wrong. The CLI exits 2 on it. */
export class SnippetInputError extends Error {
  override name = 'SnippetInputError'
  constructor(readonly file: string, readonly line: number, readonly detail: string) {
    super(`${file}:${line}: ${detail}`)
  }
}

export const DEFAULT_TIMEOUT_SECONDS = 60
/** On stage no step should keep the room waiting longer than this; anything longer is staged. */
export const ON_STAGE_LIMIT_SECONDS = 20
const SCENARIO_KEYS = new Set([
  'cluster',
  'after',
  'live',
  'why',
  'intro',
  'steps',
  'reset',
])
/** An intro is a short paragraph: WORKSHOP.md prints it whole above the scenario's steps. */
export const INTRO_SENTENCES = { min: 2, max: 3 } as const
export const INTRO_MAX_CHARACTERS = 800
const STEP_KEYS = new Set([
  'step',
  'timeout',
  'exit',
  'compare',
  'hidden',
  'live',
  'why',
  'creates-cluster',
  'poll',
  'stage',
  'on-stage',
  'alternatives',
])
const POLL_KEYS = new Set(['every', 'deadline'])
/** An alternative's name: it becomes part of a file name, and `exit<N>` is taken by exit statuses. */
const ALTERNATIVE_NAME = /^[a-z][a-z0-9-]*$/
const EXIT_OUTCOME_NAME = /^exit\d+$/

export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)(s|m)$/.exec(text)
  if (!match)
    return undefined
  return Number(match[1]) * (match[2] === 'm'
    ? 60
    : 1)
}

class ManifestReader {
  readonly lines = new LineCounter()
  constructor(readonly file: string, readonly root: string) {}

  lineOf(node: Node | null | undefined): number {
    const offset = node?.range?.[0]
    return offset === undefined
      ? 1
      : this.lines.linePos(offset).line
  }

  fail(node: Node | null | undefined, detail: string): never {
    throw new SnippetInputError(relative(this.root, this.file), this.lineOf(node), detail)
  }
}

function scalarValue(reader: ManifestReader, node: unknown, key: string): unknown {
  if (!isScalar(node))
    reader.fail(node as Node, `${key} must be a single value`)
  return (node as { value: unknown }).value
}

function readBoolean(reader: ManifestReader, node: unknown, key: string): boolean {
  const value = scalarValue(reader, node, key)
  if (typeof value !== 'boolean')
    reader.fail(node as Node, `${key} must be true or false`)
  return value as boolean
}

function readSeconds(reader: ManifestReader, node: unknown, key: string): number {
  const value = scalarValue(reader, node, key)
  const seconds = typeof value === 'string'
    ? parseDuration(value)
    : undefined
  if (seconds === undefined || seconds <= 0)
    reader.fail(node as Node, `${key} must be a duration such as 90s or 5m, got ${JSON.stringify(value)}`)
  return seconds!
}

/** `live` and `why`, as a scenario or a step declares them: never live: false without a reason. */
function readLiveness(reader: ManifestReader, fields: ReadonlyMap<string, unknown>, missingWhy: string): { live: boolean, why?: string } {
  const live = fields.has('live')
    ? readBoolean(reader, fields.get('live'), 'live')
    : true
  const why = fields.has('why')
    ? String(scalarValue(reader, fields.get('why'), 'why'))
    : undefined
  if (!live && !why)
    reader.fail(fields.get('live') as Node, missingWhy)
  return why === undefined
    ? { live }
    : { live, why }
}

/** A `.out` that compares by pattern must use only the placeholders snippets/README.md lists. */
function checkPlaceholders(reader: ManifestReader, path: string): void {
  try {
    parseExpectedOutput(readFileSync(path, 'utf8'), relative(reader.root, path))
  }
  catch (error) {
    if (error instanceof SnippetFormatError)
      throw new SnippetInputError(error.file, error.line, error.detail)
    throw error
  }
}

/**
 * `alternatives: {offline: why}`: other outputs of the first allowed exit status, each in
 * `NN-name.<name>.out` and each with the reason it may be printed instead. A listed alternative
 * without its file is bad input: the step would otherwise pass on anything.
 */
function readAlternatives(reader: ManifestReader, directory: string, step: string, node: unknown, compare: Comparison): Alternative[] {
  if (!isMap(node) || node.items.length === 0)
    reader.fail(node as Node, 'alternatives must be a mapping of name: reason, e.g. {offline: no route to versioncheck.linkerd.io}')
  if (compare === 'none')
    reader.fail(node, `step ${step} lists alternatives to its expected output, so it needs a .out to compare`)
  return node.items.map((pair) => {
    const name = isScalar(pair.key)
      ? String(pair.key.value)
      : ''
    if (!ALTERNATIVE_NAME.test(name) || EXIT_OUTCOME_NAME.test(name))
      reader.fail(pair.key as Node, `alternative name "${name}" must be lower-case letters, digits and dashes, and not exit<N> (that is an exit status's outcome)`)
    const reason = isScalar(pair.value) && typeof pair.value.value === 'string'
      ? pair.value.value.trim()
      : ''
    if (!reason)
      reader.fail((pair.value ?? pair.key) as Node, `alternative "${name}" of step ${step} needs a reason: why the step may print it instead of its .out`)
    const path = join(directory, `${step}.${name}.out`)
    if (!existsSync(path))
      reader.fail(pair.key as Node, `step ${step} lists alternative "${name}" but ${relative(reader.root, path)} does not exist`)
    if (compare === 'exact' && readFileSync(path, 'utf8').includes('{{'))
      reader.fail(pair.key as Node, `step ${step}: compare: exact, but ${relative(reader.root, path)} has {{placeholders}}; use pattern`)
    if (compare === 'pattern')
      checkPlaceholders(reader, path)
    return { name, reason, path }
  })
}

/**
 * Sentences as the intro rule counts them: a `.`, `!` or `?` followed by a space and a capital
 * letter, a backtick, a quote or an opening parenthesis ends one ("e.g. kind" does not; avoid "e.g. Kind").
 */
export function introSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z`"(])/).filter(sentence => sentence.trim() !== '')
}

/**
 * `intro:` one paragraph of plain text (inline Markdown such as `code` is fine), two or three
 * sentences, at most INTRO_MAX_CHARACTERS, ending a sentence.
 */
function readIntro(reader: ManifestReader, node: unknown): string {
  const value = isScalar(node) && typeof node.value === 'string'
    ? node.value.trim()
    : undefined
  if (value === undefined || value === '')
    reader.fail(node as Node, 'intro must be text: two or three sentences on why this scenario matters (WORKSHOP.md prints it above the steps)')
  if (/\n\s*\n/.test(value))
    reader.fail(node as Node, 'intro must be one paragraph (no blank line)')
  const paragraph = value.replace(/\s*\n\s*/g, ' ')
  if (!/[.!?]$/.test(paragraph))
    reader.fail(node as Node, 'intro must end a sentence (with ".", "!" or "?")')
  const sentences = introSentences(paragraph).length
  if (sentences < INTRO_SENTENCES.min || sentences > INTRO_SENTENCES.max)
    reader.fail(node as Node, `intro must be ${INTRO_SENTENCES.min} or ${INTRO_SENTENCES.max} sentences, got ${sentences}`)
  if (paragraph.length > INTRO_MAX_CHARACTERS)
    reader.fail(node as Node, `intro is ${paragraph.length} characters; keep it to ${INTRO_MAX_CHARACTERS}`)
  return paragraph
}

/**
 * `reset:` a list of the scenario's own step names, each one that runs on a cluster, in the
 * order `steps` lists them (the order --reset runs them in, so the file says what runs).
 */
function readReset(reader: ManifestReader, node: unknown, steps: readonly StepSpec[], scenarioWhy: string | undefined): StepSpec[] {
  const example = steps.slice(0, 2).map(step => step.name).join(', ')
  if (!isSeq(node))
    reader.fail(node as Node, `reset must be a list of this scenario's step names, which npm run stage -- --reset runs first, e.g. [${example}]`)
  const chosen: StepSpec[] = []
  for (const item of node.items) {
    if (!isScalar(item) || typeof item.value !== 'string' || item.value === '')
      reader.fail(item as Node, `reset must be a list of this scenario's step names (NN-name), e.g. [${example}]`)
    const name = (item as { value: string }).value
    const step = steps.find(s => s.name === name)
    if (!step)
      reader.fail(item as Node, `reset: unknown step "${name}" (known: ${steps.map(s => s.name).join(', ')})`)
    if (!step.live)
      reader.fail(item as Node, `reset: step ${name} never runs on a cluster (${step.why ?? scenarioWhy ?? 'live: false'}), so npm run stage -- --reset can't run it`)
    if (chosen.includes(step))
      reader.fail(item as Node, `reset: step ${name} is listed twice`)
    const previous = chosen.at(-1)
    if (previous && steps.indexOf(step) < steps.indexOf(previous))
      reader.fail(item as Node, `reset: step ${name} comes before ${previous.name} in steps; list the reset steps in the scenario's order, the order --reset runs them in`)
    chosen.push(step)
  }
  return chosen
}

/** One entry of `steps`; a step of a scenario that never runs live never runs live either. */
function readStep(reader: ManifestReader, scenario: string, directory: string, node: unknown, scenarioLive: boolean): StepSpec {
  if (!isMap(node))
    reader.fail(node as Node, 'each step must be a mapping with at least "step: NN-name"')
  const fields = new Map<string, unknown>()
  for (const pair of node.items) {
    const key = isScalar(pair.key)
      ? String(pair.key.value)
      : ''
    if (!STEP_KEYS.has(key))
      reader.fail(pair.key as Node, `unknown step key "${key}" (known: ${[...STEP_KEYS].join(', ')})`)
    fields.set(key, pair.value)
  }
  const nameNode = fields.get('step')
  if (!nameNode)
    reader.fail(node, 'step without "step: NN-name"')
  const name = String(scalarValue(reader, nameNode, 'step'))
  const script = join(directory, `${name}.sh`)
  if (!existsSync(script))
    reader.fail(nameNode as Node, `step ${name}: ${relative(reader.root, script)} does not exist`)
  const outputPath = join(directory, `${name}.out`)
  const expectedOutput = existsSync(outputPath)
    ? outputPath
    : undefined

  let compare: Comparison = expectedOutput ? 'pattern' : 'none'
  if (fields.has('compare')) {
    const value = scalarValue(reader, fields.get('compare'), 'compare')
    if (value !== 'exact' && value !== 'pattern' && value !== 'none')
      reader.fail(fields.get('compare') as Node, `compare must be exact, pattern or none, got ${JSON.stringify(value)}`)
    compare = value as Comparison
  }
  if (compare !== 'none' && !expectedOutput)
    reader.fail(nameNode as Node, `step ${name} compares its output (${compare}) but ${relative(reader.root, outputPath)} does not exist`)
  if (compare === 'exact' && readFileSync(expectedOutput!, 'utf8').includes('{{'))
    reader.fail(fields.get('compare') as Node, `step ${name}: compare: exact, but its .out has {{placeholders}}; use pattern`)
  if (compare === 'pattern')
    checkPlaceholders(reader, expectedOutput!)

  let exit = [0]
  if (fields.has('exit')) {
    const exitNode = fields.get('exit')
    const values = isSeq(exitNode)
      ? exitNode.items.map(item => scalarValue(reader, item, 'exit'))
      : [
          scalarValue(reader, exitNode, 'exit'),
        ]
    if (values.length === 0 || values.some(v => !Number.isInteger(v) || (v as number) < 0 || (v as number) > 255))
      reader.fail(exitNode as Node, 'exit must be an exit status (0-255) or a list of them')
    exit = values as number[]
  }
  // An allowed failure must say what it looks like, or any failure at all would pass.
  const otherOutcomes: Record<number, string> = {}
  const otherStatuses = compare === 'none'
    ? []
    : exit.slice(1)
  for (const status of otherStatuses) {
    const path = join(directory, `${name}.exit${status}.out`)
    if (!existsSync(path))
      reader.fail(fields.get('exit') as Node, `step ${name} allows exit ${status} but ${relative(reader.root, path)} does not say what that outcome prints`)
    if (compare === 'pattern')
      checkPlaceholders(reader, path)
    otherOutcomes[status] = path
  }

  const alternatives = fields.has('alternatives')
    ? readAlternatives(reader, directory, name, fields.get('alternatives'), compare)
    : []

  let poll: StepSpec['poll']
  if (fields.has('poll')) {
    const pollNode = fields.get('poll')
    if (!isMap(pollNode))
      reader.fail(pollNode as Node, 'poll must be a mapping: {every: 5s, deadline: 2m}')
    const pollFields = new Map<string, unknown>()
    for (const pair of pollNode.items) {
      const key = isScalar(pair.key)
        ? String(pair.key.value)
        : ''
      if (!POLL_KEYS.has(key))
        reader.fail(pair.key as Node, `unknown poll key "${key}" (known: every, deadline)`)
      pollFields.set(key, pair.value)
    }
    if (!pollFields.has('every') || !pollFields.has('deadline'))
      reader.fail(pollNode, 'poll needs both every and deadline')
    poll = {
      everySeconds: readSeconds(reader, pollFields.get('every'), 'poll.every'),
      deadlineSeconds: readSeconds(reader, pollFields.get('deadline'), 'poll.deadline'),
    }
    if (compare === 'none')
      reader.fail(pollNode, `step ${name} polls until its output matches, so it needs a .out to compare`)
  }

  const { live, why } = readLiveness(reader, fields, `step ${name} has live: false without a why`)
  const timeoutSeconds = fields.has('timeout')
    ? readSeconds(reader, fields.get('timeout'), 'timeout')
    : DEFAULT_TIMEOUT_SECONDS
  const staged = fields.has('stage')
    ? readBoolean(reader, fields.get('stage'), 'stage')
    : false
  let onStageSeconds: number | undefined
  if (fields.has('on-stage')) {
    const onStageNode = fields.get('on-stage')
    onStageSeconds = readSeconds(reader, onStageNode, 'on-stage')
    if (staged)
      reader.fail(onStageNode as Node, `step ${name} is staged (run before the talk), so it takes no time on stage; drop on-stage`)
    if (onStageSeconds > ON_STAGE_LIMIT_SECONDS)
      reader.fail(onStageNode as Node, `step ${name} takes ${onStageSeconds}s on stage, longer than the ${ON_STAGE_LIMIT_SECONDS}s a room should wait: stage it, or make it quicker`)
    if (onStageSeconds > timeoutSeconds)
      reader.fail(onStageNode as Node, `step ${name} takes ${onStageSeconds}s on stage but its timeout is ${timeoutSeconds}s`)
  }

  const step: StepSpec = {
    scenario,
    name,
    id: `${scenario}/${name}`,
    script,
    timeoutSeconds,
    exit,
    compare,
    hidden: fields.has('hidden')
      ? readBoolean(reader, fields.get('hidden'), 'hidden')
      : false,
    live: live && scenarioLive,
    otherOutcomes,
    alternatives,
    createsCluster: fields.has('creates-cluster')
      ? readBoolean(reader, fields.get('creates-cluster'), 'creates-cluster')
      : false,
    manifestLine: reader.lineOf(node),
    staged,
  }
  if (onStageSeconds !== undefined)
    step.onStageSeconds = onStageSeconds
  if (expectedOutput)
    step.expectedOutput = expectedOutput
  if (why)
    step.why = why
  if (poll)
    step.poll = poll
  return step
}

export function readScenario(root: string, name: string): Scenario {
  const directory = join(root, 'snippets', name)
  const file = join(directory, 'scenario.yaml')
  const reader: ManifestReader = new ManifestReader(file, root)
  const text = readFileSync(file, 'utf8')
  const document = parseDocument(text, { lineCounter: reader.lines, prettyErrors: false })
  const [error] = document.errors
  if (error)
    throw new SnippetInputError(relative(root, file), Math.min(reader.lines.linePos(error.pos[0]).line, text.trimEnd().split('\n').length), `invalid YAML: ${error.message.split('\n')[0]}`)
  const top = document.contents
  if (!isMap(top))
    reader.fail(top, 'scenario.yaml must be a mapping with a steps list')
  const fields = new Map<string, unknown>()
  for (const pair of top.items) {
    const key = isScalar(pair.key)
      ? String(pair.key.value)
      : ''
    if (!SCENARIO_KEYS.has(key))
      reader.fail(pair.key as Node, `unknown scenario key "${key}" (known: ${[...SCENARIO_KEYS].join(', ')})`)
    fields.set(key, pair.value)
  }
  const stepsNode = fields.get('steps')
  if (!isSeq(stepsNode) || stepsNode.items.length === 0)
    reader.fail((stepsNode ?? top) as Node, 'steps must be a non-empty list')
  const { live, why } = readLiveness(reader, fields, 'live: false without a why')
  const steps = stepsNode.items.map(item => readStep(reader, name, directory, item, live))

  const listed = new Set(steps.map(step => step.name))
  for (const script of readdirSync(directory).filter(f => f.endsWith('.sh')).sort()) {
    if (!listed.has(script.slice(0, -3)))
      reader.fail(stepsNode, `${script} is in the folder but not listed in steps`)
  }
  checkStrayOutputs(relative(root, file), directory, steps)
  const seen = new Set<string>()
  for (const step of steps) {
    if (seen.has(step.name))
      throw new SnippetInputError(relative(root, file), step.manifestLine, `step ${step.name} is listed twice`)
    seen.add(step.name)
  }
  checkStaging(relative(root, file), steps, live)

  const afterNode = fields.get('after')
  const after = afterNode === undefined
    ? []
    : isSeq(afterNode)
      ? afterNode.items.map(item => String(scalarValue(reader, item, 'after')))
      : reader.fail(afterNode as Node, 'after must be a list of scenario names')
  const clusterNode = fields.get('cluster')
  const cluster = clusterNode === undefined
    ? undefined
    : String(scalarValue(reader, clusterNode, 'cluster'))
  if (live && !cluster)
    reader.fail(top, 'a scenario that runs live needs "cluster: NAME" (the kind cluster its steps name)')
  if (cluster !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(cluster))
    reader.fail(clusterNode as Node, `cluster name "${cluster}" is not a valid kind cluster name`)

  const introNode = fields.get('intro')
  const intro = introNode === undefined
    ? undefined
    : readIntro(reader, introNode)

  const resetNode = fields.get('reset')
  const reset = resetNode === undefined
    ? []
    : readReset(reader, resetNode, steps, why)

  const title = /^# (\S.*)$/m.exec(text)?.[1] ?? name
  const scenario: Scenario = {
    name,
    title,
    manifest: relative(root, file),
    after,
    afterLine: reader.lineOf(afterNode as Node),
    live,
    introLine: reader.lineOf((introNode ?? top) as Node),
    steps,
    reset,
  }
  if (cluster)
    scenario.cluster = cluster
  if (why)
    scenario.why = why
  if (intro)
    scenario.intro = intro
  return scenario
}

/**
 * `NN-name.<x>.out` beside a step is read only as an allowed exit status's outcome (`exit<N>`)
 * or a listed alternative; any other such file is a mistake nobody would notice.
 */
function checkStrayOutputs(file: string, directory: string, steps: readonly StepSpec[]): void {
  const read = new Set(steps.flatMap(step => [
    ...Object.values(step.otherOutcomes),
    ...step.alternatives.map(alternative => alternative.path),
  ]))
  const names = new Set(steps.map(step => step.name))
  for (const output of readdirSync(directory).filter(f => f.endsWith('.out')).sort()) {
    const match = /^(.+)\.([^.]+)\.out$/.exec(output)
    if (!match || !names.has(match[1]!) || read.has(join(directory, output)))
      continue
    const step = steps.find(s => s.name === match[1])!
    const why = EXIT_OUTCOME_NAME.test(match[2]!)
      ? `step ${step.name} does not allow ${match[2]!.replace('exit', 'exit ')}`
      : `step ${step.name} does not list "${match[2]}" under alternatives`
    throw new SnippetInputError(file, step.manifestLine, `${output} is not read: ${why}`)
  }
}

/**
 * Staging runs a scenario's first steps before the talk, so the staged steps must be a prefix
 * of its steps (a later step may need what an earlier one did); every step after them runs
 * on stage and says how long it takes there. A run control (or the terminal driver) runs a
 * shown step with the hidden steps right before it, so that run as a whole keeps the room
 * waiting at most ON_STAGE_LIMIT_SECONDS, and a hidden step needs a shown one after it to run.
 */
function checkStaging(file: string, steps: readonly StepSpec[], scenarioLive: boolean): void {
  const fail = (step: StepSpec, detail: string): never => {
    throw new SnippetInputError(file, step.manifestLine, detail)
  }
  const firstOnStage = steps.findIndex(step => !step.staged)
  for (const [index, step] of steps.entries()) {
    if (step.staged && !scenarioLive)
      fail(step, `step ${step.name} is staged, but its scenario never runs live`)
    if (step.staged && firstOnStage >= 0 && index > firstOnStage)
      fail(step, `step ${step.name} is staged after ${steps[firstOnStage]!.name}, which runs on stage: staged steps must come first`)
    if (scenarioLive && !step.staged && step.live && step.onStageSeconds === undefined)
      fail(step, `step ${step.name} runs on stage, so it must say how long it takes there (on-stage: 10s), or be staged (stage: true)`)
  }
  if (!scenarioLive)
    return
  const seconds = (step: StepSpec) => step.onStageSeconds ?? 0
  for (const [index, step] of steps.entries()) {
    if (step.staged || !step.live)
      continue
    if (step.hidden) {
      const next = steps.slice(index + 1).find(later => !later.hidden)
      if (!next?.live)
        fail(step, `step ${step.name} is hidden and runs on stage, but no shown step that runs live comes after it, so no slide ever runs it (a run control runs the hidden steps right before its step): show it, stage it, or move it before a shown step`)
      continue
    }
    let first = index
    while (first > 0 && steps[first - 1]!.hidden && !steps[first - 1]!.staged)
      first--
    const before = steps.slice(first, index)
    const total = [...before, step].reduce((sum, s) => sum + seconds(s), 0)
    if (before.length > 0 && total > ON_STAGE_LIMIT_SECONDS) {
      const hidden = before.map(s => `${s.name} (${seconds(s)}s)`)
      const list = hidden.length === 1
        ? hidden[0]
        : `${hidden.slice(0, -1).join(', ')} and ${hidden.at(-1)}`
      fail(step, `step ${step.name} keeps the room waiting ${total}s when run from its slide: the hidden ${list} ${hidden.length === 1
        ? 'runs'
        : 'run'} first, then it takes ${seconds(step)}s; at most ${ON_STAGE_LIMIT_SECONDS}s: show one of them (it then runs on its own), stage it, or make it quicker`)
    }
  }
}

/**
 * A scenario that runs live needs an intro: WORKSHOP.md, the attendees' follow-along guide, says
 * why each scenario matters before its steps. A separate check (not readScenario) so that the
 * checker's and the talk tools' own fixtures need none.
 */
export function checkIntros(scenarios: readonly Scenario[]): void {
  for (const scenario of scenarios) {
    if (scenario.live && scenario.intro === undefined)
      throw new SnippetInputError(scenario.manifest, scenario.introLine, `scenario ${scenario.name} runs live, so it needs "intro:": ${INTRO_SENTENCES.min} or ${INTRO_SENTENCES.max} sentences on why it matters, which WORKSHOP.md prints above its steps`)
  }
}

/** Every scenario folder under snippets/ (a folder with a scenario.yaml). */
export function scenarioNames(root: string): string[] {
  return readdirSync(join(root, 'snippets'), { withFileTypes: true })
    .filter(entry => entry.isDirectory() && existsSync(join(root, 'snippets', entry.name, 'scenario.yaml')))
    .map(entry => entry.name)
    .sort()
}

/** Reads every scenario and checks the references between them. */
export function readScenarios(root: string): Scenario[] {
  const scenarios = scenarioNames(root).map(name => readScenario(root, name))
  const byName = new Map(scenarios.map(s => [s.name, s]))
  for (const scenario of scenarios) {
    const line = scenario.afterLine
    for (const dependency of scenario.after) {
      const other = byName.get(dependency)
      if (!other) {
        throw new SnippetInputError(scenario.manifest, line, `after: unknown scenario "${dependency}" (known: ${[
          ...byName.keys(),
        ].join(', ')})`)
      }
      if (other.cluster !== scenario.cluster)
        throw new SnippetInputError(scenario.manifest, line, `after: ${dependency} runs on cluster ${other.cluster ?? '(none)'}, not ${scenario.cluster ?? '(none)'}`)
    }
  }
  chainFor(scenarios, scenarios.map(s => s.name))
  return scenarios
}

/**
 * The scenarios to run, in order, so that each runs after everything it needs:
 * `after` closed transitively. Throws on a cycle.
 */
export function chainFor(scenarios: readonly Scenario[], wanted: readonly string[]): Scenario[] {
  const byName = new Map(scenarios.map(s => [s.name, s]))
  const ordered: Scenario[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (name: string, path: string[]) => {
    const scenario = byName.get(name)
    if (!scenario) {
      throw new Error(`unknown scenario "${name}" (known: ${[
        ...byName.keys(),
      ].join(', ')})`)
    }
    if (state.get(name) === 'done')
      return
    if (state.get(name) === 'visiting')
      throw new SnippetInputError(scenario.manifest, 1, `after: cycle ${[...path, name].join(' → ')}`)
    state.set(name, 'visiting')
    for (const dependency of scenario.after)
      visit(dependency, [...path, name])
    state.set(name, 'done')
    ordered.push(scenario)
  }
  for (const name of wanted)
    visit(name, [])
  return ordered
}
