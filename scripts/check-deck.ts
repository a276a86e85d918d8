import type { StageRuns } from './lib/timing'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import process from 'node:process'
import { discoverDeckAssets } from './lib/deck-assets'
import { formatProblem, lintDeck, stageRuns } from './lib/deck-lint'
import { readDeck } from './lib/deck-source'
import { timingProblems } from './lib/timing'
import { readScenarios, SnippetInputError } from './snippet-check/scenarios'

const entry = process.argv[2] ?? 'slides.md'
const deck = await readDeck(entry)

// The hands-on steps' time on stage comes from snippets/*/scenario.yaml (none for a deck without them).
let runs: StageRuns = new Map()
const inputProblems: string[] = []
try {
  if (existsSync(join(deck.root, 'snippets')))
    runs = stageRuns(readScenarios(deck.root))
}
catch (error) {
  if (!(error instanceof SnippetInputError))
    throw error
  inputProblems.push(`${error.message} (the pacing check reads how long each step takes on stage from it)`)
}

const problems = [
  ...lintDeck(deck, discoverDeckAssets(deck.root)).map(formatProblem),
  ...inputProblems,
  ...timingProblems(deck, runs),
]
for (const problem of problems)
  console.error(problem)

console.log(`${deck.entry}: ${deck.slides.length} slides, ${problems.length} problem(s)`)
process.exitCode = problems.length ? 1 : 0
