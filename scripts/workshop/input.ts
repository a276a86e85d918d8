import type { VerificationReport } from '../../model/live-verification'
import type { Comparison, Scenario, StepSpec } from '../snippet-check/scenarios'
import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parseVerificationReport, VerificationReportError } from '../../model/live-verification'
import { parseStepScript } from '../../model/snippet-session'
import { checkIntros, readScenarios, readSnippetFile, SnippetInputError } from '../snippet-check/scenarios'
import { readPins } from '../snippet-check/static-checks'

// Everything WORKSHOP.md is made of, read once from disk: each scenario's scenario.yaml, its
// step files (.sh, .out, .exit<N>.out, .<alternative>.out), snippets/versions.env and
// snippets/verified-live.json. Nothing else goes into the guide. The renderer (render.ts) takes
// this and nothing else, so it is a pure function of these files.

export interface GuideOutput {
  /** Relative to the repository, e.g. `snippets/g-job/03-wait-classic.out`. */
  file: string
  text: string
}

export interface GuideStep {
  /** `scenario/NN-name`. */
  id: string
  scenario: string
  name: string
  /** `snippets/<scenario>/<name>.sh` */
  file: string
  /** Line 2 of the script, without its `# `. */
  description: string
  /** The command, as the script has it after line 2. */
  commandLines: string[]
  hidden: boolean
  live: boolean
  why?: string
  createsCluster: boolean
  /** Allowed exit statuses; `expected` is what the first prints. */
  exit: number[]
  compare: Comparison
  poll?: { everySeconds: number, deadlineSeconds: number }
  timeoutSeconds: number
  expected?: GuideOutput
  /** What each allowed exit status after the first prints (`NN-name.exit<N>.out`). */
  exitOutcomes: Array<GuideOutput & { status: number }>
  /** Other outputs of the first exit status, each with its reason (`NN-name.<name>.out`). */
  alternatives: Array<GuideOutput & { name: string, reason: string }>
}

export interface GuideScenario {
  name: string
  title: string
  /** `snippets/<name>/scenario.yaml` */
  manifest: string
  cluster?: string
  after: string[]
  live: boolean
  why?: string
  intro?: string
  introLine: number
  steps: GuideStep[]
}

export interface WorkshopInput {
  scenarios: GuideScenario[]
  /** snippets/versions.env, in file order. */
  versions: Record<string, string>
  report: VerificationReport
}

/** The pins the guide names in its prerequisites; versions.env must set each. */
export const REQUIRED_PINS = [
  'LINKERD_VERSION',
  'LINKERD_MAJOR',
  'KIND_VERSION',
  'KIND_NODE_IMAGE',
  'KUBERNETES_VERSION',
] as const

export const VERSIONS_FILE = 'snippets/versions.env'
export const VERIFIED_LIVE_FILE = 'snippets/verified-live.json'

function read(root: string, file: string): string {
  return readFileSync(join(root, file), 'utf8')
}

function guideStep(root: string, step: StepSpec): GuideStep {
  const file = relative(root, step.script)
  const output = (path: string): GuideOutput => ({
    file: relative(root, path),
    text: read(root, relative(root, path)),
  })
  const script = readSnippetFile(() => parseStepScript(read(root, file), file))
  const guide: GuideStep = {
    id: step.id,
    scenario: step.scenario,
    name: step.name,
    file,
    description: script.description,
    commandLines: script.commandLines,
    hidden: step.hidden,
    live: step.live,
    createsCluster: step.createsCluster,
    exit: step.exit,
    compare: step.compare,
    timeoutSeconds: step.timeoutSeconds,
    exitOutcomes: Object.entries(step.otherOutcomes).map(([status, path]) => ({
      status: Number(status),
      ...output(path),
    })),
    alternatives: step.alternatives.map(alternative => ({
      name: alternative.name,
      reason: alternative.reason,
      ...output(alternative.path),
    })),
  }
  if (step.expectedOutput)
    guide.expected = output(step.expectedOutput)
  if (step.why)
    guide.why = step.why
  if (step.poll)
    guide.poll = step.poll
  return guide
}

function guideScenario(root: string, scenario: Scenario): GuideScenario {
  const guide: GuideScenario = {
    name: scenario.name,
    title: scenario.title,
    manifest: scenario.manifest,
    after: scenario.after,
    live: scenario.live,
    introLine: scenario.introLine,
    steps: scenario.steps.map(step => guideStep(root, step)),
  }
  if (scenario.cluster)
    guide.cluster = scenario.cluster
  if (scenario.why)
    guide.why = scenario.why
  if (scenario.intro)
    guide.intro = scenario.intro
  return guide
}

export function readVersions(root: string): Record<string, string> {
  const versions = readPins(root)
  const missing = REQUIRED_PINS.filter(key => !versions[key])
  if (missing.length > 0)
    throw new SnippetInputError(VERSIONS_FILE, 1, `the guide names ${missing.join(', ')}, which this file does not set`)
  return versions
}

export function readVerification(root: string): VerificationReport {
  if (!existsSync(join(root, VERIFIED_LIVE_FILE)))
    return { scenarios: [] }
  try {
    return parseVerificationReport(JSON.parse(read(root, VERIFIED_LIVE_FILE)), VERIFIED_LIVE_FILE)
  }
  catch (error) {
    if (error instanceof VerificationReportError || error instanceof SyntaxError)
      throw new SnippetInputError(VERIFIED_LIVE_FILE, 1, error.message.replace(`${VERIFIED_LIVE_FILE}: `, ''))
    throw error
  }
}

/**
 * An intro that writes a pinned version literally would go stale when the pin moves, and the
 * guide lists the pins at its top: say "the pinned CLI", not its version.
 */
export function checkIntroPins(scenarios: readonly GuideScenario[], versions: Readonly<Record<string, string>>): void {
  for (const scenario of scenarios) {
    if (!scenario.intro)
      continue
    for (const [key, value] of Object.entries(versions)) {
      const forms = new Set([value, value.replace(/^v(?=\d)/, '')])
      for (const form of forms) {
        const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        if (new RegExp(`(?<![\\w.-])${escaped}(?![\\w-]|\\.\\d)`).test(scenario.intro))
          throw new SnippetInputError(scenario.manifest, scenario.introLine, `intro writes ${key}'s pinned value ${form} literally; WORKSHOP.md lists the pins at its top, so say it without the version`)
      }
    }
  }
}

/** Reads and checks everything the guide is made of; bad input throws SnippetInputError (file:line). */
export function readWorkshopInput(root: string): WorkshopInput {
  const scenarios = readScenarios(root)
  checkIntros(scenarios)
  const versions = readVersions(root)
  const guideScenarios = scenarios.map(scenario => guideScenario(root, scenario))
  checkIntroPins(guideScenarios, versions)
  return {
    scenarios: guideScenarios,
    versions,
    report: readVerification(root),
  }
}
