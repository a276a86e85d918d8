import type { StageRuns } from './deck/timing'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CliError, parseCommandLine, runCli } from './core/cli'
import { readDeck } from './core/deck-source'
import { formatProblem } from './core/problem'
import { repositoryCheck } from './deck/attendee-links'
import { discoverDeckAssets } from './deck/deck-assets'
import { lintDeck, stageRuns } from './deck/deck-lint'
import { sourcesIndexProblems } from './deck/sources-index'
import { timingProblems } from './deck/timing'
import { readScenarios, SnippetInputError } from './snippet-check/scenarios'

const USAGE = 'usage: npm run check:deck [-- --before-talk]   (tsx scripts/check-deck.ts [deck.md] [--before-talk])'

async function main(): Promise<number> {
  const args = parseCommandLine({
    allowPositionals: true,
    options: {
      'before-talk': { type: 'boolean', default: false },
    },
  }, USAGE)
  if (args.positionals.length > 1)
    throw new CliError(`one deck at a time (got ${args.positionals.join(', ')})\n${USAGE}`)
  const entry = args.positionals[0] ?? 'slides.md'
  // --before-talk: also what attendees need on the day, which may stay unknown in CI (the
  // repository's address in package.json): a notice in the ordinary run, a problem here.
  const beforeTalk = args.values['before-talk']
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

  const repository = repositoryCheck(deck.root, { beforeTalk })
  const problems = [
    ...lintDeck(deck, discoverDeckAssets(deck.root)).map(formatProblem),
    ...inputProblems,
    ...timingProblems(deck, runs),
    ...repository.problems,
    ...(existsSync(join(deck.root, 'SOURCES.md'))
      ? sourcesIndexProblems(deck, readFileSync(join(deck.root, 'SOURCES.md'), 'utf8'))
      : []),
  ]
  for (const problem of problems)
    console.error(problem)
  for (const notice of repository.notices)
    console.log(notice)

  const notices = repository.notices.length ? `, ${repository.notices.length} notice(s)` : ''
  console.log(`${deck.entry}: ${deck.slides.length} slides, ${problems.length} problem(s)${notices}${beforeTalk
    ? ' (before the talk)'
    : ''}`)
  return problems.length ? 1 : 0
}

await runCli(main)
