import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readDeck } from '../../scripts/core/deck-source'
import { slidevExportArgs } from '../../scripts/export/export-deck'

// `slidev export` run by hand and `npm run export` print the deck with the same waits: the
// headmatter's `export:` block (which Slidev reads) says what the project's export passes.

const repo = fileURLToPath(new URL('../..', import.meta.url))

function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(name)
  return at < 0 ? undefined : args[at + 1]
}

describe('the export\'s waits live in the deck\'s headmatter too', () => {
  it('slides.md\'s export: block has the format, timeout and waits npm run export passes', async () => {
    const deck = await readDeck(join(repo, 'slides.md'))
    const settings = deck.headmatter.export as Record<string, unknown>
    const args = slidevExportArgs('slides.md', 'out.pdf', '/usr/bin/chromium', false)
    expect(settings).toEqual({
      format: flag(args, '--format'),
      timeout: Number(flag(args, '--timeout')),
      waitUntil: flag(args, '--wait-until'),
      wait: Number(flag(args, '--wait')),
    })
  })

  it('the installed Slidev reads that block, and lets the command line override it', () => {
    // Slidev 53's getExportOptions: the headmatter's `export` first, then the command's flags.
    const chunks = readFileSync(join(repo, 'node_modules/@slidev/cli/dist/cli.mjs'), 'utf8')
    const file = /import\("\.\/(export-[\w-]+\.mjs)"\)/.exec(chunks)?.[1]
    expect(file).toBeDefined()
    const source = readFileSync(join(repo, 'node_modules/@slidev/cli/dist', file!), 'utf8')
    const body = /function getExportOptions\(args, options, outFilename\) \{[\s\S]*?\n\}/.exec(source)?.[0] ?? ''
    expect(body).toMatch(/\.\.\.options\.data\.config\.export,\s*\.\.\.args,/)
    expect(body).toContain('timeout: timeout ?? 3e4')
    expect(body).toContain('wait: wait ?? 0')
  })
})
