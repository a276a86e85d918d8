import type { Problem } from '../core/problem'
import type { Scenario } from './scenarios'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parseVersionsEnv } from '../../model/snippet-session'
import { readDeck } from '../core/deck-source'
import { parseShellcheckOutput, runShellcheck } from '../core/shellcheck'
import { coverageProblems, slidePinProblems } from './deck-coverage'
import { LINKERD_VERSION_OF_LIST } from './linkerd-annotations'
import { manifestProblems, readManifests } from './manifests'
import { checkIntros, readScenarios, readSnippetFile } from './scenarios'
import { stepTextProblems } from './step-text-checks'

// The checks that need no cluster. Bad input (a scenario.yaml or manifest that can't be read)
// throws SnippetInputError before any check runs; everything else is a Problem.

export interface StaticInput {
  scenarios: Scenario[]
  pins: Record<string, string>
  manifestFiles: string[]
  shellFiles: string[]
}

function filesUnder(root: string, directory: string, extension: string): string[] {
  const found: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory())
        walk(path)
      else if (entry.name.endsWith(extension))
        found.push(relative(root, path))
    }
  }
  walk(join(root, directory))
  return found.sort()
}

export function readPins(root: string): Record<string, string> {
  const file = join(root, 'snippets', 'versions.env')
  return readSnippetFile(() => parseVersionsEnv(readFileSync(file, 'utf8'), 'snippets/versions.env'))
}

/** Reads everything the checks need; bad input stops here with its file and line. */
export function readStaticInput(root: string): StaticInput {
  const scenarios = readScenarios(root)
  checkIntros(scenarios)
  const pins = readPins(root)
  const manifestFiles = filesUnder(root, 'snippets', '.yaml').filter(file => !file.endsWith('scenario.yaml'))
  for (const file of manifestFiles)
    readManifests(root, join(root, file))
  return {
    scenarios,
    pins,
    manifestFiles,
    shellFiles: filesUnder(root, 'snippets', '.sh'),
  }
}

export async function shellcheckProblems(root: string, files: readonly string[]): Promise<Problem[]> {
  if (files.length === 0)
    return []
  return parseShellcheckOutput(await runShellcheck(files, { cwd: root }))
}

function manifestUseProblems(root: string, input: StaticInput): Problem[] {
  const scripts = input.shellFiles.map(file => readFileSync(join(root, file), 'utf8')).join('\n')
  return input.manifestFiles
    .filter(file => file.startsWith('snippets/apps/') && !scripts.includes(file))
    .map(file => ({ file, line: 1, message: 'no step applies this manifest' }))
}

/** Lists written for one Linkerd version must be redone when the pin moves. */
const ANNOTATION_LIST = 'scripts/snippet-check/linkerd-annotations.ts'

function lineOfText(file: string, needle: string): number {
  const lines = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8').split('\n')
  return lines.findIndex(line => line.includes(needle)) + 1 || 1
}

export function versionedListProblems(pins: Readonly<Record<string, string>>): Problem[] {
  if (pins.LINKERD_VERSION === LINKERD_VERSION_OF_LIST)
    return []
  return [
    {
      file: ANNOTATION_LIST,
      line: lineOfText(ANNOTATION_LIST, 'LINKERD_VERSION_OF_LIST ='),
      message: `the annotation list is for ${LINKERD_VERSION_OF_LIST}, but snippets/versions.env pins LINKERD_VERSION=${pins.LINKERD_VERSION}: check pkg/k8s/labels.go at the new tag and update the list`,
    },
  ]
}

export async function staticProblems(root: string, input: StaticInput, deckEntry = join(root, 'slides.md')): Promise<Problem[]> {
  const stepTexts = input.shellFiles.flatMap(file => stepTextProblems(file, readFileSync(join(root, file), 'utf8'), input.pins))
  const deck = existsSync(deckEntry) ? await readDeck(deckEntry) : undefined
  const deckProblems = deck
    ? [...coverageProblems(deck, input.scenarios), ...slidePinProblems(deck, input.pins)]
    : []
  return [
    ...await shellcheckProblems(root, input.shellFiles),
    ...manifestProblems(root, input.manifestFiles, input.pins),
    ...stepTexts,
    ...manifestUseProblems(root, input),
    ...versionedListProblems(input.pins),
    ...deckProblems,
  ]
}
