import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readScenario, SnippetInputError } from '../../scripts/snippet-check/scenarios'

// A scenario `demo` in a project of its own, for the tests of scenario.yaml's rules.

export const STEP_SCRIPT = '#!/usr/bin/env bash\n# A step.\ntrue\n'

/** A temporary project whose snippets/demo/ holds `scenario.yaml` and `files` (name → text); its root. */
export function scenarioFolder(yaml: string, files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'scenario-'))
  const dir = join(root, 'snippets', 'demo')
  mkdirSync(dir, { recursive: true })
  for (const [name, text] of Object.entries(files))
    writeFileSync(join(dir, name), text)
  writeFileSync(join(dir, 'scenario.yaml'), yaml)
  return root
}

/** Why readScenario refuses `demo` (its `file:line: message`), or 'no error'. */
export function readFailure(root: string): string {
  try {
    readScenario(root, 'demo')
  }
  catch (error) {
    if (error instanceof SnippetInputError)
      return error.message
    throw error
  }
  return 'no error'
}
