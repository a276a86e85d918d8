import type { Problem } from '../core/problem'
import type { YamlPath, YamlSource } from '../core/yaml'
import type { StepFile } from './scenario-schema'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parseExpectedOutput, SnippetFormatError } from '../../model/snippet-session'
import { ProblemError } from '../core/problem'
import { parseYaml } from '../core/yaml'
import { scenarioShape } from './scenario-schema'

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

/** Bad input: the file and line it is on, and what is wrong. The CLIs exit 2 on it. */
export class SnippetInputError extends ProblemError {
  override name = 'SnippetInputError'
  constructor(readonly file: string, readonly line: number, readonly detail: string) {
    super({ file, line, message: detail })
  }
}

function inputError(problem: Problem): SnippetInputError {
  return new SnippetInputError(problem.file, problem.line, problem.message)
}

export const DEFAULT_TIMEOUT_SECONDS = 60
/** On stage no step should keep the room waiting longer than this; anything longer is staged. */
export const ON_STAGE_LIMIT_SECONDS = 20
/** An intro is a short paragraph: WORKSHOP.md prints it whole above the scenario's steps. */
export const INTRO_SENTENCES = { min: 2, max: 3 } as const
export const INTRO_MAX_CHARACTERS = 800
const EXIT_OUTCOME_NAME = /^exit\d+$/

export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)(s|m)$/.exec(text)
  if (!match)
    return undefined
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1)
}

/** Where a scenario's values are, for messages: its YAML with positions, and its folder. */
interface ScenarioSource {
  yaml: YamlSource
  root: string
  directory: string
}

function fail(source: ScenarioSource, path: YamlPath, detail: string): never {
  throw new SnippetInputError(source.yaml.file, source.yaml.lineAt(path), detail)
}

function failAtKey(source: ScenarioSource, path: YamlPath, key: string, detail: string): never {
  throw new SnippetInputError(source.yaml.file, source.yaml.keyLineAt(path, key), detail)
}

/** `live` and `why`, as a scenario or a step declares them: never live: false without a reason. */
function liveness(source: ScenarioSource, path: YamlPath, declared: { live?: boolean, why?: string }, missingWhy: string): { live: boolean, why?: string } {
  const live = declared.live ?? true
  if (!live && !declared.why)
    fail(source, [...path, 'live'], missingWhy)
  return declared.why === undefined ? { live } : { live, why: declared.why }
}

/** A snippet file read by the model's parsers: their SnippetFormatError is bad input, named by file and line. */
export function readSnippetFile<T>(parse: () => T): T {
  try {
    return parse()
  }
  catch (error) {
    if (error instanceof SnippetFormatError)
      throw new SnippetInputError(error.file, error.line, error.detail)
    throw error
  }
}

/** A `.out` that compares by pattern must use only the placeholders snippets/README.md lists. */
function checkPlaceholders(root: string, path: string): void {
  readSnippetFile(() => parseExpectedOutput(readFileSync(path, 'utf8'), relative(root, path)))
}

/** What a step compares its output with: its `.out` (if there is one) and `compare:`. */
function comparison(source: ScenarioSource, path: YamlPath, declared: StepFile): { compare: Comparison, expectedOutput?: string } {
  const name = declared.step
  const outputPath = join(source.directory, `${name}.out`)
  const expectedOutput = existsSync(outputPath) ? outputPath : undefined
  const compare = declared.compare ?? (expectedOutput ? 'pattern' : 'none')
  if (compare !== 'none' && !expectedOutput)
    fail(source, [...path, 'step'], `step ${name} compares its output (${compare}) but ${relative(source.root, outputPath)} does not exist`)
  if (compare === 'exact' && readFileSync(expectedOutput!, 'utf8').includes('{{'))
    fail(source, [...path, 'compare'], `step ${name}: compare: exact, but its .out has {{placeholders}}; use pattern`)
  if (compare === 'pattern')
    checkPlaceholders(source.root, expectedOutput!)
  return expectedOutput ? { compare, expectedOutput } : { compare }
}

/** An allowed failure must say what it looks like (`NN-name.exit<N>.out`), or any failure at all would pass. */
function otherOutcomes(source: ScenarioSource, path: YamlPath, name: string, exit: readonly number[], compare: Comparison): Record<number, string> {
  const outcomes: Record<number, string> = {}
  for (const status of compare === 'none' ? [] : exit.slice(1)) {
    const outcome = join(source.directory, `${name}.exit${status}.out`)
    if (!existsSync(outcome))
      fail(source, [...path, 'exit'], `step ${name} allows exit ${status} but ${relative(source.root, outcome)} does not say what that outcome prints`)
    if (compare === 'pattern')
      checkPlaceholders(source.root, outcome)
    outcomes[status] = outcome
  }
  return outcomes
}

/**
 * `alternatives: {offline: why}`: other outputs of the first allowed exit status, each in
 * `NN-name.<name>.out` and each with the reason it may be printed instead. A listed alternative
 * without its file is bad input: the step would otherwise pass on anything.
 */
function alternativesOf(source: ScenarioSource, path: YamlPath, name: string, declared: Record<string, string>, compare: Comparison): Alternative[] {
  const at = [...path, 'alternatives']
  if (compare === 'none')
    fail(source, at, `step ${name} lists alternatives to its expected output, so it needs a .out to compare`)
  return Object.entries(declared).map(([alternative, reason]) => {
    const file = join(source.directory, `${name}.${alternative}.out`)
    if (!existsSync(file))
      failAtKey(source, at, alternative, `step ${name} lists alternative "${alternative}" but ${relative(source.root, file)} does not exist`)
    if (compare === 'exact' && readFileSync(file, 'utf8').includes('{{'))
      failAtKey(source, at, alternative, `step ${name}: compare: exact, but ${relative(source.root, file)} has {{placeholders}}; use pattern`)
    if (compare === 'pattern')
      checkPlaceholders(source.root, file)
    return {
      name: alternative,
      reason: reason.trim(),
      path: file,
    }
  })
}

/** `on-stage:` how long the step keeps the room waiting: never on a staged step, never too long. */
function onStage(source: ScenarioSource, path: YamlPath, declared: StepFile, staged: boolean, timeoutSeconds: number): number | undefined {
  if (declared['on-stage'] === undefined)
    return undefined
  const at = [...path, 'on-stage']
  const seconds = parseDuration(declared['on-stage'])!
  if (staged)
    fail(source, at, `step ${declared.step} is staged (run before the talk), so it takes no time on stage; drop on-stage`)
  if (seconds > ON_STAGE_LIMIT_SECONDS)
    fail(source, at, `step ${declared.step} takes ${seconds}s on stage, longer than the ${ON_STAGE_LIMIT_SECONDS}s a room should wait: stage it, or make it quicker`)
  if (seconds > timeoutSeconds)
    fail(source, at, `step ${declared.step} takes ${seconds}s on stage but its timeout is ${timeoutSeconds}s`)
  return seconds
}

/** One entry of `steps`; a step of a scenario that never runs live never runs live either. */
function readStep(source: ScenarioSource, scenario: string, index: number, declared: StepFile, scenarioLive: boolean): StepSpec {
  const path = ['steps', index]
  const name = declared.step
  const script = join(source.directory, `${name}.sh`)
  if (!existsSync(script))
    fail(source, [...path, 'step'], `step ${name}: ${relative(source.root, script)} does not exist`)
  const { compare, expectedOutput } = comparison(source, path, declared)
  const exit = declared.exit === undefined ? [0] : [declared.exit].flat()
  if (declared.poll && compare === 'none')
    fail(source, [...path, 'poll'], `step ${name} polls until its output matches, so it needs a .out to compare`)
  const { live, why } = liveness(source, path, declared, `step ${name} has live: false without a why`)
  const timeoutSeconds = declared.timeout === undefined
    ? DEFAULT_TIMEOUT_SECONDS
    : parseDuration(declared.timeout)!
  const staged = declared.stage ?? false
  const onStageSeconds = onStage(source, path, declared, staged, timeoutSeconds)

  const step: StepSpec = {
    scenario,
    name,
    id: `${scenario}/${name}`,
    script,
    timeoutSeconds,
    exit,
    compare,
    hidden: declared.hidden ?? false,
    live: live && scenarioLive,
    otherOutcomes: otherOutcomes(source, path, name, exit, compare),
    alternatives: declared.alternatives
      ? alternativesOf(source, path, name, declared.alternatives, compare)
      : [],
    createsCluster: declared['creates-cluster'] ?? false,
    manifestLine: source.yaml.lineAt(path),
    staged,
  }
  if (onStageSeconds !== undefined)
    step.onStageSeconds = onStageSeconds
  if (expectedOutput)
    step.expectedOutput = expectedOutput
  if (why)
    step.why = why
  if (declared.poll) {
    step.poll = {
      everySeconds: parseDuration(declared.poll.every)!,
      deadlineSeconds: parseDuration(declared.poll.deadline)!,
    }
  }
  return step
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
function readIntro(source: ScenarioSource, intro: string): string {
  const at = ['intro']
  const value = intro.trim()
  if (/\n\s*\n/.test(value))
    fail(source, at, 'intro must be one paragraph (no blank line)')
  const paragraph = value.replace(/\s*\n\s*/g, ' ')
  if (!/[.!?]$/.test(paragraph))
    fail(source, at, 'intro must end a sentence (with ".", "!" or "?")')
  const sentences = introSentences(paragraph).length
  if (sentences < INTRO_SENTENCES.min || sentences > INTRO_SENTENCES.max)
    fail(source, at, `intro must be ${INTRO_SENTENCES.min} or ${INTRO_SENTENCES.max} sentences, got ${sentences}`)
  if (paragraph.length > INTRO_MAX_CHARACTERS)
    fail(source, at, `intro is ${paragraph.length} characters; keep it to ${INTRO_MAX_CHARACTERS}`)
  return paragraph
}

/**
 * `reset:` a list of the scenario's own step names, each one that runs on a cluster, in the
 * order `steps` lists them (the order --reset runs them in, so the file says what runs).
 */
function readReset(source: ScenarioSource, names: readonly string[], steps: readonly StepSpec[], scenarioWhy: string | undefined): StepSpec[] {
  const chosen: StepSpec[] = []
  for (const [index, name] of names.entries()) {
    const at = ['reset', index]
    const step = steps.find(s => s.name === name)
    if (!step)
      fail(source, at, `reset: unknown step "${name}" (known: ${steps.map(s => s.name).join(', ')})`)
    if (!step.live)
      fail(source, at, `reset: step ${name} never runs on a cluster (${step.why ?? scenarioWhy ?? 'live: false'}), so npm run stage -- --reset can't run it`)
    if (chosen.includes(step))
      fail(source, at, `reset: step ${name} is listed twice`)
    const previous = chosen.at(-1)
    if (previous && steps.indexOf(step) < steps.indexOf(previous))
      fail(source, at, `reset: step ${name} comes before ${previous.name} in steps; list the reset steps in the scenario's order, the order --reset runs them in`)
    chosen.push(step)
  }
  return chosen
}

/** snippets/<name>/scenario.yaml, read: its shape against SCENARIO_SCHEMA, then what lies beside it. */
export function readScenario(root: string, name: string): Scenario {
  const directory = join(root, 'snippets', name)
  const file = join(directory, 'scenario.yaml')
  const text = readFileSync(file, 'utf8')
  const { source: yaml, syntaxProblem } = parseYaml(relative(root, file), text)
  if (syntaxProblem)
    throw inputError(syntaxProblem)
  const shape = scenarioShape(yaml, yaml.document.toJS())
  if ('problem' in shape)
    throw inputError(shape.problem)
  const declared = shape.file
  const source: ScenarioSource = { yaml, root, directory }

  const { live, why } = liveness(source, [], declared, 'live: false without a why')
  const steps = declared.steps.map((step, index) => readStep(source, name, index, step, live))
  const listed = new Set(steps.map(step => step.name))
  for (const script of readdirSync(directory).filter(f => f.endsWith('.sh')).sort()) {
    if (!listed.has(script.slice(0, -3)))
      fail(source, ['steps'], `${script} is in the folder but not listed in steps`)
  }
  checkStrayOutputs(yaml.file, directory, steps)
  const seen = new Set<string>()
  for (const step of steps) {
    if (seen.has(step.name))
      throw new SnippetInputError(yaml.file, step.manifestLine, `step ${step.name} is listed twice`)
    seen.add(step.name)
  }
  checkStaging(yaml.file, steps, live)
  if (live && !declared.cluster)
    fail(source, [], 'a scenario that runs live needs "cluster: NAME" (the kind cluster its steps name)')

  const scenario: Scenario = {
    name,
    title: /^# (\S.*)$/m.exec(text)?.[1] ?? name,
    manifest: yaml.file,
    after: declared.after ?? [],
    afterLine: declared.after === undefined ? 1 : yaml.lineAt(['after']),
    live,
    introLine: yaml.lineAt(declared.intro === undefined ? [] : ['intro']),
    steps,
    reset: declared.reset ? readReset(source, declared.reset, steps, why) : [],
  }
  if (declared.cluster)
    scenario.cluster = declared.cluster
  if (why)
    scenario.why = why
  if (declared.intro !== undefined)
    scenario.intro = readIntro(source, declared.intro)
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
      const list = hidden.length === 1 ? hidden[0] : `${hidden.slice(0, -1).join(', ')} and ${hidden.at(-1)}`
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
      throw new Error(`unknown scenario "${name}" (known: ${[...byName.keys()].join(', ')})`)
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
