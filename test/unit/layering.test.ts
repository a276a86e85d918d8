import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The layers imports may run through, each only downward: model/ imports nothing of the project;
// components/ only model/; scripts/ never the tests; scripts/core/ only itself (and model/).

const repo = fileURLToPath(new URL('../..', import.meta.url))
const files = execFileSync('git', [
  'ls-files',
  '--cached',
  '--others',
  '--exclude-standard',
  '*.ts',
  '*.vue',
], { cwd: repo, encoding: 'utf8' })
  .split('\n')
  .filter(file => file && !file.startsWith('test/fixtures/'))

/** Every relative import of `file`, as a path from the repository's root. */
function importsOf(file: string): string[] {
  return [
    ...readFileSync(join(repo, file), 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*from '(\.{1,2}\/[^']+)'/gm),
  ]
    .map(match => relative(repo, join(repo, dirname(file), match[1]!)))
}

function crossings(from: string, allowed: string[]): string[] {
  return files
    .filter(file => file.startsWith(from))
    .flatMap(file => importsOf(file).filter(target => !allowed.some(prefix => target.startsWith(prefix))).map(target => `${file} → ${target}`))
}

describe('the layers', () => {
  it('reads the imports it checks (a component\'s of model/, a CLI\'s of scripts/core/)', () => {
    expect(importsOf('components/CniOverview.vue').filter(target => target.startsWith('model/')).length).toBeGreaterThan(0)
    expect(importsOf('scripts/check-deck.ts')).toContain('scripts/core/cli')
  })

  it('model/ imports nothing else of the project', () => {
    expect(crossings('model/', ['model/', 'snippets/'])).toEqual([])
  })

  it('components/ import only model/', () => {
    expect(crossings('components/', ['components/', 'model/', 'snippets/'])).toEqual([])
  })

  it('scripts/ never import the tests, and scripts/core/ imports only itself and model/', () => {
    expect(crossings('scripts/', ['scripts/', 'model/', 'snippets/', 'package.json'])).toEqual([])
    expect(crossings('scripts/core/', ['scripts/core/', 'model/'])).toEqual([])
  })

  it('has no grab-bag scripts/lib/ folder', () => {
    expect(files.filter(file => file.startsWith('scripts/lib/'))).toEqual([])
  })
})
