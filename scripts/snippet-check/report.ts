import type { VerificationReport } from '../../model/live-verification'
import type { Diagnostics } from './cluster-lifecycle'
import type { StepResult } from './run-step'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import junit from 'junit-report-builder'
import { writeFileAtomically } from '../core/files'

// What a live run leaves behind: report.json (every step, with output, diff and diagnostics,
// and the digest each image pinned by tag resolved to), junit.xml for CI, and, when every step
// passed, the record in snippets/verified-live.json that turns the deck's badges green. Both
// reports are rewritten after every step (`running: true` until the end), so a run killed
// mid-way still leaves what it saw.

export interface ScenarioRun {
  scenario: string
  cluster: string
  uniqueCluster: string
  steps: StepResult[]
}

export interface LiveReport {
  startedAt: string
  /** Absent while the run goes on: the reports are rewritten after every step. */
  finishedAt?: string
  /** Present (true) while the run goes on; a report that still says so is from a run that was killed. */
  running?: true
  interrupted?: string
  pins: Record<string, string>
  /** Each image pinned by tag → the digest the run's local Docker had for it (`sha256:…`). */
  imageDigests: Record<string, string>
  runs: ScenarioRun[]
  diagnostics: Record<string, Diagnostics>
  notes: string[]
  summary: { passed: number, failed: number, skipped: number }
}

export function summarize(runs: readonly ScenarioRun[]): LiveReport['summary'] {
  const steps = runs.flatMap(run => run.steps)
  return {
    passed: steps.filter(s => s.status === 'passed').length,
    failed: steps.filter(s => s.status === 'failed').length,
    skipped: steps.filter(s => s.status === 'skipped').length,
  }
}

export function junitXml(report: LiveReport): string {
  const builder = junit.newBuilder()
  for (const run of report.runs) {
    const suite = builder.testSuite().name(`${run.scenario} (kind cluster ${run.uniqueCluster})`)
    for (const step of run.steps) {
      const testCase = suite.testCase().className(run.scenario).name(step.id).time(step.durationMs / 1000)
      if (step.status === 'failed')
        testCase.failure(step.reason ?? 'failed').standardOutput([step.output, step.diff].filter(Boolean).join('\n\n'))
      else if (step.status === 'skipped')
        testCase.skipped().standardOutput(step.reason ?? '')
      else
        testCase.standardOutput(`${step.attempts} attempt(s)\n${step.output}`)
    }
  }
  return builder.build()
}

export function writeReports(directory: string, report: LiveReport): { json: string, junit: string } {
  mkdirSync(directory, { recursive: true })
  const json = join(directory, 'report.json')
  const xml = join(directory, 'junit.xml')
  writeFileAtomically(json, `${JSON.stringify(report, null, 2)}\n`)
  writeFileAtomically(xml, junitXml(report))
  return { json, junit: xml }
}

/** A recording as the deck shows it: Windows line ends and trailing blanks dropped. */
export function recordedText(output: string): string {
  return output.replace(/\r\n/g, '\n').split('\n').map(line => line.trimEnd()).join('\n').replace(/\n+$/, '')
}

/**
 * The verification record after a run in which nothing failed: every scenario whose steps all
 * passed (steps that never run live aside) is recorded with the pins and the date, replacing
 * an older record of the same scenario.
 */
export function updatedVerification(previous: VerificationReport, report: LiveReport, date: string): VerificationReport {
  if (report.summary.failed > 0 || report.interrupted)
    return previous
  const recorded = report.runs
    .filter(run => run.steps.some(s => s.status === 'passed') && run.steps.every(s => s.status !== 'failed'))
    .map((run) => {
      const passed = run.steps.filter(s => s.status === 'passed')
      return {
        scenario: run.scenario,
        steps: passed.map(s => s.id.split('/')[1]!),
        kindNodeImage: report.pins.KIND_NODE_IMAGE!,
        linkerdVersion: report.pins.LINKERD_VERSION!,
        date,
        ...(Object.keys(report.imageDigests).length > 0 ? { imageDigests: report.imageDigests } : {}),
        outputs: Object.fromEntries(passed.map(s => [s.id.split('/')[1]!, recordedText(s.output)])),
      }
    })
  const replaced = new Set(recorded.map(r => r.scenario))
  return {
    scenarios: [...previous.scenarios.filter(r => !replaced.has(r.scenario)), ...recorded]
      .sort((a, b) => a.scenario.localeCompare(b.scenario)),
  }
}
