import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import process from 'node:process'
import { parseCommandLine, runCli } from './core/cli'
import { writeFileAtomically } from './core/files'
import { SnippetInputError } from './snippet-check/scenarios'
import { readWorkshopInput } from './workshop/input'
import { renderWorkshop } from './workshop/render'
import { staleMessage, staleness } from './workshop/stale'

// npm run write:workshop [-- --check] [--root DIR]
// Writes WORKSHOP.md, the follow-along guide, from snippets/ (scripts/workshop/). --check writes
// nothing and fails when the committed file is not what it would write.
// Exit status: 0 written or up to date, 1 stale (--check), 2 bad input (file:line) or bad usage.

const WORKSHOP_FILE = 'WORKSHOP.md'
const USAGE = 'usage: npm run write:workshop [-- --check] [--root DIR]'

function main(): number {
  const args = parseCommandLine({
    options: {
      check: { type: 'boolean', default: false },
      root: {
        type: 'string',
        default: process.cwd(),
      },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  }, USAGE).values
  if (args.help) {
    console.log(USAGE)
    return 0
  }

  const generated = renderWorkshop(readWorkshopInput(args.root))

  const path = join(args.root, WORKSHOP_FILE)
  const committed = existsSync(path) ? readFileSync(path, 'utf8') : undefined
  if (args.check) {
    if (committed === undefined) {
      console.error(`${WORKSHOP_FILE} does not exist: run npm run write:workshop and commit it`)
      return 1
    }
    const stale = staleness(committed, generated, WORKSHOP_FILE)
    if (stale) {
      console.error(staleMessage(WORKSHOP_FILE, stale))
      return 1
    }
    console.log(`${WORKSHOP_FILE} is up to date`)
    return 0
  }

  if (committed === generated) {
    console.log(`${WORKSHOP_FILE} is up to date`)
    return 0
  }
  writeFileAtomically(path, generated)
  console.log(`wrote ${WORKSHOP_FILE} (${generated.split('\n').length - 1} lines)`)
  return 0
}

await runCli(main, [[SnippetInputError, 2]])
