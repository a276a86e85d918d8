// The checked-in record of which hands-on steps passed on a live kind cluster
// (snippets/verified-live.json). The snippet checker's live mode writes it after a scenario
// passes; the deck reads it to badge each terminal. A record only counts for the versions it
// was made with: after a pin in versions.env changes, its steps are unverified again.

export interface ScenarioRecord {
  scenario: string
  steps: string[]
  kindNodeImage: string
  linkerdVersion: string
  /** ISO date of the run, e.g. 2026-11-20. */
  date: string
  /** What each passed step really printed in that run, by step name (`07-containers`). */
  outputs?: Record<string, string>
  /** The digest each image pinned by tag (not digest) resolved to in that run: image → `sha256:…`. */
  imageDigests?: Record<string, string>
}

export interface VerificationReport {
  scenarios: ScenarioRecord[]
}

export interface Pins {
  kindNodeImage: string
  linkerdVersion: string
}

export type StepVerification
  = | { status: 'verified', record: ScenarioRecord }
    | { status: 'unverified', reason: string }

export class VerificationReportError extends Error {
  override name = 'VerificationReportError'
}

function requireString(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '')
    throw new VerificationReportError(`${where} must be a non-empty string`)
  return value
}

export function parseVerificationReport(json: unknown, file = 'snippets/verified-live.json'): VerificationReport {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { scenarios?: unknown }).scenarios))
    throw new VerificationReportError(`${file}: expected an object with a "scenarios" array`)
  const scenarios = (json as { scenarios: unknown[] }).scenarios.map((entry, index): ScenarioRecord => {
    const where = `${file}: scenarios[${index}]`
    if (typeof entry !== 'object' || entry === null)
      throw new VerificationReportError(`${where} must be an object`)
    const record = entry as Record<string, unknown>
    const steps = record.steps
    if (!Array.isArray(steps) || steps.length === 0)
      throw new VerificationReportError(`${where}.steps must list the steps that passed`)
    const date = requireString(record.date, `${where}.date`)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
      throw new VerificationReportError(`${where}.date must be YYYY-MM-DD`)
    const parsed: ScenarioRecord = {
      scenario: requireString(record.scenario, `${where}.scenario`),
      steps: steps.map((step, i) => requireString(step, `${where}.steps[${i}]`)),
      kindNodeImage: requireString(record.kindNodeImage, `${where}.kindNodeImage`),
      linkerdVersion: requireString(record.linkerdVersion, `${where}.linkerdVersion`),
      date,
    }
    if (record.outputs !== undefined)
      parsed.outputs = parseOutputs(record.outputs, parsed.steps, `${where}.outputs`)
    if (record.imageDigests !== undefined)
      parsed.imageDigests = parseImageDigests(record.imageDigests, `${where}.imageDigests`)
    return parsed
  })
  return { scenarios }
}

function parseOutputs(value: unknown, steps: readonly string[], where: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new VerificationReportError(`${where} must map step names to what they printed`)
  for (const [step, output] of Object.entries(value)) {
    if (!steps.includes(step))
      throw new VerificationReportError(`${where}.${step}: not one of the steps this record lists as passed`)
    if (typeof output !== 'string')
      throw new VerificationReportError(`${where}.${step} must be the text the step printed`)
  }
  return value as Record<string, string>
}

function parseImageDigests(value: unknown, where: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new VerificationReportError(`${where} must map images to the digests they resolved to`)
  for (const [image, digest] of Object.entries(value)) {
    if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest))
      throw new VerificationReportError(`${where}.${image} must be a digest, sha256: and 64 hex digits`)
  }
  return value as Record<string, string>
}

/**
 * What a step really printed in the recorded live run, when that run used the current pins:
 * the deck shows it instead of the derived .out, with the run's date.
 */
export function recordedOutputOf(step: string, report: VerificationReport, pins: Pins): { output: string, date: string } | undefined {
  const verification = verificationOf(step, report, pins)
  if (verification.status !== 'verified')
    return undefined
  const output = verification.record.outputs?.[step.split('/')[1] ?? '']
  return output === undefined ? undefined : { output, date: verification.record.date }
}

/** `step` is `scenario/NN-name`, as the snippet terminal names it. */
export function verificationOf(step: string, report: VerificationReport, pins: Pins): StepVerification {
  const [scenario, name] = step.split('/')
  const record = report.scenarios.find(r => r.scenario === scenario && r.steps.includes(name ?? ''))
  if (!record)
    return { status: 'unverified', reason: 'not yet verified live' }
  if (record.kindNodeImage !== pins.kindNodeImage || record.linkerdVersion !== pins.linkerdVersion)
    return { status: 'unverified', reason: `verified ${record.date} with other versions; not yet with the current pins` }
  return { status: 'verified', record }
}

export function pinsFromVersions(versions: Readonly<Record<string, string>>): Pins {
  const kindNodeImage = versions.KIND_NODE_IMAGE
  const linkerdVersion = versions.LINKERD_VERSION
  if (!kindNodeImage || !linkerdVersion)
    throw new VerificationReportError('snippets/versions.env must set KIND_NODE_IMAGE and LINKERD_VERSION')
  return { kindNodeImage, linkerdVersion }
}

/** `kindest/node:v1.35.0@sha256:…` → `v1.35.0`. */
export function nodeVersion(image: string): string {
  return /:(v[^@]+)/.exec(image)?.[1] ?? image
}
