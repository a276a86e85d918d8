import process from 'node:process'
import { discoverDeckAssets } from './lib/deck-assets'
import { formatProblem, lintDeck } from './lib/deck-lint'
import { readDeck } from './lib/deck-source'
import { timingProblems } from './lib/timing'

const entry = process.argv[2] ?? 'slides.md'
const deck = await readDeck(entry)
const problems = [
  ...lintDeck(deck, discoverDeckAssets(deck.root)).map(formatProblem),
  ...timingProblems(deck),
]
for (const problem of problems)
  console.error(problem)

console.log(`${deck.entry}: ${deck.slides.length} slides, ${problems.length} problem(s)`)
process.exitCode = problems.length ? 1 : 0
