import { parseArgs } from 'node:util'
import { CliError, runCli } from './core/cli'
import { readDeck } from './core/deck-source'
import { filterSlideIndex, formatSlideIndex, slideIndex } from './deck/slide-index'

// npm run slides [-- QUERY]
// One line per slide: number, part, file:line, title, then the components and hands-on steps it
// uses. QUERY keeps one slide by number, or the slides whose title, file or steps contain it.

async function main(): Promise<number> {
  const { positionals } = parseArgs({ allowPositionals: true })
  const deck = await readDeck('slides.md')
  const entries = filterSlideIndex(slideIndex(deck), positionals.join(' ') || undefined)
  if (!entries.length)
    throw new CliError(`no slide matches "${positionals.join(' ')}" (${deck.slides.length} slides)`, 1)
  console.log(formatSlideIndex(entries))
  return 0
}

await runCli(main)
