import type { Problem } from './core/problem'
import type { ParsedWorkflow } from './workflows/workflow-rules'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import process from 'node:process'
import { parseArgs } from 'node:util'
import { validateWorkflow } from '@action-validator/core'
import { runCli } from './core/cli'
import { byPosition, formatProblem } from './core/problem'
import { runShellcheck } from './core/shellcheck'
import { parseWorkflow, runBlocks, runsCiOnPullRequests, schemaProblems, shellcheckProblems, workflowProblems } from './workflows/workflow-rules'

// npm run check:workflows [-- --root DIR]
// The GitHub workflows against GitHub's schema, shellcheck on their run: blocks, and the rules
// in scripts/workflows/workflow-rules.ts. Exit status: 0 clean, 1 problems (each as file:line).

function validate(text: string) {
  // The validator announces that it skips glob checks; pathFilterProblems covers those.
  const warn = console.warn
  console.warn = () => {}
  try {
    return validateWorkflow(text)
  }
  finally {
    console.warn = warn
  }
}

async function shellcheck(workflow: ParsedWorkflow): Promise<Problem[]> {
  const problems: Problem[] = []
  for (const block of runBlocks(workflow)) {
    // GitHub replaces ${{ }} before the shell sees the script; runProblems reports them.
    const script = block.script.replaceAll(/\$\{\{.*?\}\}/g, 'GITHUB_EXPRESSION')
    problems.push(...shellcheckProblems(block, await runShellcheck(['-'], { input: script })))
  }
  return problems
}

async function main(): Promise<number> {
  const root = parseArgs({
    options: {
      root: {
        type: 'string',
        default: process.cwd(),
      },
    },
  }).values.root
  const dir = join(root, '.github', 'workflows')
  const files = existsSync(dir)
    ? readdirSync(dir).filter(name => /\.ya?ml$/.test(name)).sort().map(name => join(dir, name))
    : []
  const workflows = files.map(file => parseWorkflow(relative(root, file), readFileSync(file, 'utf8')))
  const exists = (path: string) => existsSync(join(root, path))
  const problems: Problem[] = []
  for (const workflow of workflows) {
    problems.push(...workflowProblems(workflow, exists))
    if (workflow.syntaxProblem)
      continue
    problems.push(...schemaProblems(workflow, validate(workflow.text).errors))
    problems.push(...await shellcheck(workflow))
  }
  if (!runsCiOnPullRequests(workflows))
    problems.push({ file: '.github/workflows', line: 1, message: 'no workflow runs .ci/run on pull requests, so reviewers would not see the tests' })
  for (const problem of problems.sort(byPosition))
    console.error(formatProblem(problem))
  console.log(`workflows: ${workflows.length} file(s), ${problems.length} problem(s)`)
  return problems.length > 0 ? 1 : 0
}

await runCli(main)
