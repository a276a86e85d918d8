import type { ValidationError } from '@action-validator/core'
import type { Document, Node } from 'yaml'
import type { Problem } from '../core/problem'
import type { YamlSource } from '../core/yaml'
import { isMap, isPair, isScalar, isSeq } from 'yaml'
import { parseShellcheckOutput } from '../core/shellcheck'
import { parseYaml, pathOfPointer } from '../core/yaml'

// What the GitHub workflows must hold beyond GitHub's own schema: actions pinned to a commit,
// no expressions spliced into shell, a time limit on every job, and nothing that names a file
// or folder this repository no longer has. Pure: the caller says which paths exist.

export interface RunBlock {
  file: string
  /** Line of the first line of the script. */
  line: number
  script: string
}

export interface ParsedWorkflow {
  file: string
  text: string
  doc: Document
  source: YamlSource
  /** Set when the YAML itself is broken: nothing else is checked then. */
  syntaxProblem?: Problem
}

export function parseWorkflow(file: string, text: string): ParsedWorkflow {
  const { source, syntaxProblem } = parseYaml(file, text)
  return {
    file,
    text,
    doc: source.document,
    source,
    ...(syntaxProblem ? { syntaxProblem } : {}),
  }
}

interface StepNode {
  uses?: { value: string, line: number, comment: string }
  run?: { script: string, line: number }
  /** The step's `with:` inputs as plain values, and the line of the step. */
  with: Record<string, unknown>
  line: number
}

function stepsOf(workflow: ParsedWorkflow): StepNode[] {
  const jobs = workflow.doc.get('jobs', true)
  if (!isMap(jobs))
    return []
  const steps: StepNode[] = []
  for (const job of jobs.items) {
    const list = isMap(job.value) ? job.value.get('steps', true) : undefined
    if (!isSeq(list))
      continue
    for (const step of list.items) {
      if (!isMap(step))
        continue
      const uses = step.get('uses', true)
      const run = step.get('run', true)
      const inputs = step.get('with', true)
      steps.push({
        with: isMap(inputs) ? inputs.toJSON() as Record<string, unknown> : {},
        line: workflow.source.lineOf(step),
        uses: isScalar(uses) && typeof uses.value === 'string'
          ? {
              value: uses.value,
              line: workflow.source.lineOf(uses),
              comment: uses.comment ?? '',
            }
          : undefined,
        // A block scalar's script starts on the line after `run: |`.
        run: isScalar(run) && typeof run.value === 'string'
          ? {
              script: run.value,
              line: workflow.source.lineOf(run) + (run.type === 'BLOCK_LITERAL' || run.type === 'BLOCK_FOLDED'
                ? 1
                : 0),
            }
          : undefined,
      })
    }
  }
  return steps
}

export function runBlocks(workflow: ParsedWorkflow): RunBlock[] {
  return stepsOf(workflow).flatMap(step => step.run
    ? [{ file: workflow.file, line: step.run.line, script: step.run.script }]
    : [])
}

const PINNED_ACTION = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/

function usesProblems(workflow: ParsedWorkflow): Problem[] {
  return stepsOf(workflow).flatMap(({ uses }) => {
    if (!uses || uses.value.startsWith('./') || /^docker:\/\/.+@sha256:[0-9a-f]{64}$/.test(uses.value))
      return []
    if (!PINNED_ACTION.test(uses.value)) {
      return [
        { file: workflow.file, line: uses.line, message: `${uses.value}: pin the action to a full commit SHA (a tag can be moved), with the tag in a comment` },
      ]
    }
    if (!/\bv\d/.test(uses.comment)) {
      return [
        { file: workflow.file, line: uses.line, message: `${uses.value}: say which release the SHA is in a comment, e.g. # v7.0.1` },
      ]
    }
    return []
  })
}

function runProblems(workflow: ParsedWorkflow, exists: (path: string) => boolean): Problem[] {
  return runBlocks(workflow).flatMap((block) => {
    const problems: Problem[] = []
    block.script.split('\n').forEach((text, i) => {
      const line = block.line + i
      if (text.includes('${{'))
        problems.push({ file: workflow.file, line, message: 'an expression inside run: is spliced into the shell as text; pass it through env: instead' })
      for (const match of text.matchAll(/(?:^|[\s"'=])((?:\.ci|scripts|snippets)\/[\w./-]*\w)/g)) {
        if (!exists(match[1]!))
          problems.push({ file: workflow.file, line, message: `run: names ${match[1]}, which this repository does not have` })
      }
    })
    return problems
  })
}

function jobProblems(workflow: ParsedWorkflow): Problem[] {
  const jobs = workflow.doc.get('jobs', true)
  if (!isMap(jobs))
    return []
  return jobs.items.flatMap(pair => isMap(pair.value) && !pair.value.has('timeout-minutes') && !pair.value.has('uses')
    ? [
        {
          file: workflow.file,
          line: workflow.source.lineOf(pair.key as Node),
          message: `job ${String(isScalar(pair.key)
            ? pair.key.value
            : pair.key)} has no timeout-minutes (GitHub's default is 6 hours)`,
        },
      ]
    : [])
}

/** The part of a path filter before its first wildcard, e.g. `scripts/snippet-check/` of `scripts/snippet-check/**`. */
export function literalPrefix(pattern: string): string {
  const wildcard = pattern.search(/[*?[{!]/)
  return (wildcard < 0 ? pattern : pattern.slice(0, wildcard)).replace(/\/$/, '')
}

function pathFilterProblems(workflow: ParsedWorkflow, exists: (path: string) => boolean): Problem[] {
  const on = workflow.doc.get('on', true)
  if (!isMap(on))
    return []
  const problems: Problem[] = []
  for (const event of on.items) {
    if (!isPair(event) || !isMap(event.value))
      continue
    for (const key of ['paths', 'paths-ignore']) {
      const list = event.value.get(key, true)
      if (!isSeq(list))
        continue
      for (const item of list.items) {
        if (!isScalar(item) || typeof item.value !== 'string')
          continue
        const prefix = literalPrefix(item.value)
        if (prefix && !exists(prefix)) {
          problems.push({
            file: workflow.file,
            line: workflow.source.lineOf(item as Node),
            message: `path filter ${item.value}: ${prefix} does not exist, so the filter can never match what it was written for`,
          })
        }
      }
    }
  }
  return problems
}

/**
 * A job re-run keeps the run's earlier artifacts: uploading the same name again fails unless the
 * step may overwrite it. And every artifact says how long it is kept (the repository's default is
 * 90 days of storage).
 */
function uploadProblems(workflow: ParsedWorkflow): Problem[] {
  return stepsOf(workflow).flatMap((step) => {
    if (!step.uses?.value.startsWith('actions/upload-artifact@'))
      return []
    const problems: Problem[] = []
    if (step.with.overwrite !== true)
      problems.push({ file: workflow.file, line: step.line, message: 'upload-artifact without overwrite: true: re-running the job fails on the artifact its first attempt uploaded' })
    if (step.with['retention-days'] === undefined)
      problems.push({ file: workflow.file, line: step.line, message: 'upload-artifact without retention-days: say how long the artifact is kept' })
    return problems
  })
}

/**
 * GitHub keeps one pending run per concurrency group and cancels the older pending one whatever
 * cancel-in-progress says. A workflow that cancels only on some events (pull requests) means the
 * others to finish, so their runs need a group each (github.run_id).
 */
function concurrencyProblems(workflow: ParsedWorkflow): Problem[] {
  const concurrency = workflow.doc.get('concurrency', true)
  if (!isMap(concurrency))
    return []
  const cancel = concurrency.get('cancel-in-progress')
  const group = String(concurrency.get('group') ?? '')
  if (typeof cancel !== 'string' || !cancel.includes('github.event_name') || group.includes('github.run_id'))
    return []
  return [
    {
      file: workflow.file,
      line: workflow.source.keyLineAt(['concurrency'], 'group'),
      message: 'this group is shared by the runs that cancel-in-progress lets finish, and GitHub still cancels a queued one when the next queues: give those runs a group of their own (github.run_id)',
    },
  ]
}

/** The live check cleans up its clusters and writes its reports on SIGINT/SIGTERM. */
const SIGNAL_HANDLING_COMMAND = /check[:-]snippets(?:\.ts)?\b.*--live/

/**
 * On cancel or timeout GitHub signals the step's shell alone, which does not pass the signal on
 * (neither does the `sh -c` that `npm run` puts between npm and the command): a command that
 * cleans up on a signal must replace the shell, `exec node --import tsx scripts/...`.
 */
function signalProblems(workflow: ParsedWorkflow): Problem[] {
  return runBlocks(workflow).flatMap(block => block.script.split('\n').flatMap((text, i) => {
    if (!SIGNAL_HANDLING_COMMAND.test(text) || /^\s*exec\s+node\s/.test(text))
      return []
    return [
      {
        file: workflow.file,
        line: block.line + i,
        message: 'the live check must get the signal GitHub sends on cancel or timeout: start it with `exec node --import tsx scripts/check-snippets.ts` (no npm run, whose sh -c does not pass it on)',
      },
    ]
  }))
}

/** `sysctl -w` sets a limit outright, lowering it where the runner already has it higher. */
function sysctlProblems(workflow: ParsedWorkflow): Problem[] {
  return runBlocks(workflow).flatMap(block => block.script.split('\n').flatMap((text, i) => /(?:^|[\s;&|(])sysctl\s+(?:-\w*w|--write|[\w.]+=)/.test(text)
    ? [
        { file: workflow.file, line: block.line + i, message: 'sysctl -w can lower a limit the runner sets higher: raise it with .ci/raise-sysctl, which only ever raises' },
      ]
    : []))
}

export function workflowProblems(workflow: ParsedWorkflow, exists: (path: string) => boolean): Problem[] {
  if (workflow.syntaxProblem)
    return [workflow.syntaxProblem]
  return [
    ...usesProblems(workflow),
    ...runProblems(workflow, exists),
    ...jobProblems(workflow),
    ...pathFilterProblems(workflow, exists),
    ...uploadProblems(workflow),
    ...concurrencyProblems(workflow),
    ...signalProblems(workflow),
    ...sysctlProblems(workflow),
  ]
}

/** Whether a workflow that runs on pull requests runs .ci/run, the README's CI promise. */
export function runsCiOnPullRequests(workflows: readonly ParsedWorkflow[]): boolean {
  return workflows.some((workflow) => {
    const on = workflow.doc.toJS()?.on
    const onPullRequests = on === 'pull_request'
      || (Array.isArray(on) && on.includes('pull_request'))
      || (typeof on === 'object' && on !== null && 'pull_request' in on)
    return onPullRequests && runBlocks(workflow).some(block => /(?:^|\s)(?:bash\s+)?\.ci\/run(?:\s|$)/m.test(block.script))
  })
}

/** GitHub's schema findings (from @action-validator/core), each at the line its path points to. */
export function schemaProblems(workflow: ParsedWorkflow, errors: readonly ValidationError[]): Problem[] {
  return errors.flatMap((error): Problem[] => {
    if ('states' in error && error.states?.length) {
      // One of several shapes was expected: report what the closest shape is missing.
      const closest = [...error.states].sort((a, b) => a.errors.length - b.errors.length)[0]!
      return schemaProblems(workflow, closest.errors)
    }
    const unexpectedKey = /^Additional property '([^']+)'/.exec(error.detail ?? '')?.[1]
    const line = 'path' in error
      ? unexpectedKey
        ? workflow.source.keyLineAt(pathOfPointer(error.path), unexpectedKey)
        : workflow.source.lineAt(pathOfPointer(error.path))
      : error.location?.line ?? 1
    return [{ file: workflow.file, line, message: `GitHub workflow schema: ${error.detail ?? error.title}` }]
  })
}

/** shellcheck's gcc-format lines for one run block (read from stdin), moved to the workflow's lines. */
export function shellcheckProblems(block: RunBlock, gccOutput: string): Problem[] {
  return parseShellcheckOutput(gccOutput)
    .filter(finding => finding.file === '-')
    .map(finding => ({ file: block.file, line: block.line + finding.line - 1, message: finding.message }))
}
