import process from 'node:process'
import { discoverDeckAssets } from './lib/deck-assets'
import { formatProblem, lintDeck } from './lib/deck-lint'
import { readDeck } from './lib/deck-source'

const entry = process.argv[2] ?? 'slides.md'
const deck = await readDeck(entry)
const problems = lintDeck(deck, discoverDeckAssets(deck.root))
for (const problem of problems)
  console.error(formatProblem(problem))
console.log(`${deck.entry}: ${deck.slides.length} slides, ${problems.length} problem(s)`)
process.exitCode = problems.length ? 1 : 0
