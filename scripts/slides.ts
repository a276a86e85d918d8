import process from 'node:process'
import { parseArgs } from 'node:util'
import { readDeck } from './core/deck-source'
import { filterSlideIndex, formatSlideIndex, slideIndex } from './deck/slide-index'

// npm run slides [-- QUERY]
// One line per slide: number, part, file:line, title, then the components and hands-on steps it
// uses. QUERY keeps one slide by number, or the slides whose title, file or steps contain it.

const { positionals } = parseArgs({ allowPositionals: true })
const deck = await readDeck('slides.md')
const entries = filterSlideIndex(slideIndex(deck), positionals.join(' ') || undefined)
if (!entries.length) {
  console.error(`no slide matches "${positionals.join(' ')}" (${deck.slides.length} slides)`)
  process.exitCode = 1
}
else {
  console.log(formatSlideIndex(entries))
}
