import type { StepResult } from '../snippet-check/run-step'
import type { Scenario, StepSpec } from '../snippet-check/scenarios'
import type { DemoPlan, DemoSummary, PlanEntry, Prompt } from './demo-plan'
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { parseStepScript, startsCommand } from '../../model/snippet-session'

// What the terminal driver prints, as lines of text: short, labelled, readable on a projector.
// Colour only when stdout is a terminal and NO_COLOR is unset (https://no-color.org).

export interface Paint {
  bold: (text: string) => string
  dim: (text: string) => string
  red: (text: string) => string
  green: (text: string) => string
  yellow: (text: string) => string
  cyan: (text: string) => string
}

export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR
}

export function paint(enabled: boolean): Paint {
  const sgr = (open: number, close: number) => (text: string) => enabled
    ? `\x1B[${open}m${text}\x1B[${close}m`
    : text
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  }
}

/** `{{hash}}` drawn as the slides draw it: `‹hash›`. */
export function showPlaceholders(line: string): string {
  return line.replace(/\{\{([a-z-]+)\}\}/g, '‹$1›')
}

function fileLabel(root: string, file: string): string {
  return relative(root, file)
}

export function stepText(step: StepSpec): { description: string, commandLines: string[] } {
  return parseStepScript(readFileSync(step.script, 'utf8'), step.script)
}

/** The command as the slide shows it: `$ ` before each command, continuation lines as they are. */
export function commandLines(step: StepSpec, p: Paint): string[] {
  const { commandLines: lines } = stepText(step)
  const trimmed = [...lines]
  while (trimmed.length > 0 && trimmed.at(-1)!.trim() === '')
    trimmed.pop()
  const prompts = startsCommand(trimmed)
  return trimmed.map((line, i) => prompts[i] ? `${p.dim('$')} ${p.bold(line)}` : p.bold(line))
}

export function scenarioIntro(scenario: Scenario, plan: DemoPlan, p: Paint): string[] {
  const { before } = plan
  const lines = [p.bold(`${scenario.name}: ${scenario.title}`)]
  lines.push(`cluster: ${scenario.cluster}${scenario.after.length > 0
    ? ` · runs after ${scenario.after.join(', ')}`
    : ''}`)
  if (before.length > 0)
    lines.push(p.dim(`from ${before.length + 1}: not running ${before.map(s => s.name.replace(/-.*/, '')).join(', ')}`))
  lines.push(...plan.notes.map(note => p.yellow(note)))
  return lines
}

export function stepHeading(entry: PlanEntry, p: Paint): string[] {
  return [
    '',
    p.cyan(p.bold(`── ${entry.step.name} · ${entry.position} of ${entry.of} ──`)),
    p.dim(`# ${stepText(entry.step).description}`),
  ]
}

/** One line for a quiet or skipped step; a quiet step's result is appended to it. */
export function oneLiner(entry: PlanEntry, p: Paint): string {
  return entry.mode === 'skip'
    ? p.dim(`· ${entry.step.name}: skipped, ${entry.note}`)
    : p.dim(`· ${entry.step.name}: ${entry.note} … `)
}

/** `alternatives: {offline: why}` (snippets/README.md): other outputs the first exit status may print. */
function alternativesOf(step: StepSpec): readonly { name: string, reason: string, path: string }[] {
  return (step as { alternatives?: { name: string, reason: string, path: string }[] }).alternatives ?? []
}

/** The expected output, labelled as such, placeholders as ‹name›; every allowed outcome. */
export function expectedLines(root: string, step: StepSpec, p: Paint): string[] {
  if (step.compare === 'none' || !step.expectedOutput) {
    return [p.yellow(`expected: exit ${step.exit.join(' or ')} (output not compared)`)]
  }
  const block = (label: string, file: string) => [
    p.yellow(`${label} (${fileLabel(root, file)}):`),
    ...readFileSync(file, 'utf8').replace(/\n+$/, '').split('\n').map(line => `  ${showPlaceholders(line)}`),
  ]
  const lines = block(step.exit.length > 1
    ? `expected, exit ${step.exit[0]}`
    : 'expected', step.expectedOutput)
  for (const alternative of alternativesOf(step)) {
    const [label, ...rest] = block(`or expected, "${alternative.name}"`, alternative.path)
    lines.push(label!, p.dim(`  (${alternative.reason})`), ...rest)
  }
  for (const [status, file] of Object.entries(step.otherOutcomes))
    lines.push(...block(`or expected, exit ${status}`, file))
  return lines
}

/** A unified diff (expected → printed) made readable: no file headers or hunk numbers. */
export function diffLines(diff: string, p: Paint): string[] {
  const lines = [`  ${p.red('- expected')}   ${p.green('+ printed')}`]
  let hunks = 0
  for (const line of diff.replace(/\n$/, '').split('\n')) {
    if (/^(?:={3,}|-{3} |\+{3} |Index: |\\ )/.test(line))
      continue
    if (line.startsWith('@@')) {
      if (hunks++ > 0)
        lines.push(p.dim('  ⋯'))
      continue
    }
    const text = showPlaceholders(line.slice(1))
    if (line.startsWith('-'))
      lines.push(p.red(`  - ${text}`))
    else if (line.startsWith('+'))
      lines.push(p.green(`  + ${text}`))
    else
      lines.push(`    ${text}`)
  }
  return lines
}

function seconds(result: StepResult): string {
  return `${(result.durationMs / 1000).toFixed(1)}s`
}

/** Whether the result passed, in one line; a failure's details follow from failureLines. */
export function verdictLine(step: StepSpec, result: StepResult, p: Paint): string {
  const time = p.dim(`(${seconds(result)})`)
  if (result.status === 'passed') {
    const compared = step.compare !== 'none' && (result.exitCode === step.exit[0]
      ? step.expectedOutput
      : step.otherOutcomes[result.exitCode!])
    const outcome = result.exitCode !== undefined && result.exitCode !== step.exit[0]
      ? `exit ${result.exitCode}, as expected; `
      : ''
    const attempts = result.attempts > 1 ? ` after ${result.attempts} attempts` : ''
    // A step may print a listed alternative (e.g. offline) instead of its .out; runStep says which.
    if (compared && result.reason)
      return `${p.green(`✓ ${outcome}matches an alternative expected output${attempts}`)} ${time}\n${p.dim(`  ${result.reason}`)}`
    return compared
      ? `${p.green(`✓ ${outcome}matches the expected output${attempts}`)} ${time}`
      : `${p.green(`✓ ${outcome || `exit ${result.exitCode ?? 0}, `}done (output not compared)`)} ${time}`
  }
  if (result.diff)
    return `${p.red('✗ differs from the expected output')} ${time}`
  return `${p.red(`✗ ${result.reason ?? 'failed'}`)} ${time}`
}

/** After a failure: the diff (if any), what a quiet step printed, and the expected output. */
export function failureLines(root: string, entry: PlanEntry, result: StepResult, p: Paint): string[] {
  const lines: string[] = []
  if (result.diff && entry.mode === 'quiet')
    lines.push(p.red('✗ differs from the expected output'))
  if (result.diff) {
    lines.push(...diffLines(result.diff, p))
  }
  else if (entry.mode === 'quiet' && result.output.trim() !== '') {
    const printed = result.output.replace(/\n+$/, '').split('\n')
    const shown = printed.slice(-12)
    lines.push(p.yellow('printed:'))
    if (printed.length > shown.length)
      lines.push(p.dim(`  (${printed.length - shown.length} earlier lines not shown)`))
    lines.push(...shown.map(line => `  ${line}`))
  }
  lines.push(...expectedLines(root, entry.step, p))
  return lines
}

export function stoppedLine(p: Paint): string {
  return p.yellow('■ stopped (Ctrl-C); the cluster is left as it is')
}

export function promptText(prompt: Prompt, p: Paint): string {
  switch (prompt) {
    case 'type':
      return `${p.bold('Enter')}: type it   ${p.bold('s')}: skip   ${p.bold('q')}: quit  › `
    case 'run':
      return `${p.bold('Enter')}: run it   ${p.bold('s')}: skip   ${p.bold('q')}: quit  › `
    case 'choice':
      return `${p.bold('r')}: retry   ${p.bold('s')}: skip   ${p.bold('q')}: quit   (then Enter)  › `
  }
}

export function hintText(prompt: Prompt, p: Paint): string {
  return p.yellow(prompt === 'choice'
    ? 'type r, s or q (or retry, skip, quit), then Enter'
    : 'press Enter, or type s (skip) or q (quit) then Enter')
}

export function summaryLines(scenario: Scenario, summary: DemoSummary, reason: string, p: Paint): string[] {
  const counts = [
    `${summary.matched.length} passed`,
    ...(summary.failed.length > 0 ? [p.red(`${summary.failed.length} failed`)] : []),
    ...(summary.notRun.length > 0 ? [`${summary.notRun.length} not run`] : []),
    ...(summary.planSkipped.length > 0 ? [`${summary.planSkipped.length} skipped`] : []),
  ]
  const lines = ['']
  if (reason === 'SIGINT' || reason === 'SIGTERM') {
    lines.push(p.yellow(`stopped by ${reason === 'SIGINT'
      ? 'Ctrl-C'
      : 'SIGTERM'}; the cluster is left as it is`))
  }
  else if (reason === 'eof') {
    lines.push(p.yellow('no more input: quitting'))
  }
  lines.push(p.bold(`── ${scenario.name}: ${counts.join(' · ')} ──`))
  if (summary.failed.length > 0)
    lines.push(`failed: ${summary.failed.join(', ')}`)
  if (summary.notRun.length > 0)
    lines.push(`not run: ${summary.notRun.join(', ')}`)
  return lines
}

/** --dry-run: every step's command and expected output, and how the driver would run it. */
export function dryRunLines(root: string, scenario: Scenario, plan: DemoPlan, p: Paint): string[] {
  const lines = [...scenarioIntro(scenario, plan, p), p.dim('dry run: nothing is run')]
  for (const entry of plan.entries) {
    lines.push(...stepHeading(entry, p))
    if (entry.mode !== 'shown') {
      lines.push(p.dim(entry.mode === 'skip'
        ? `(skipped: ${entry.note})`
        : `(${entry.note})`))
    }
    lines.push(...commandLines(entry.step, p), ...expectedLines(root, entry.step, p))
  }
  return lines
}
