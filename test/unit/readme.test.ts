import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readDeck } from '../../scripts/core/deck-source'
import { slideIndex } from '../../scripts/deck/slide-index'

// The READMEs are the contract with presenters and reviewers: what they tell them to run must
// exist, and what package.json offers must be in the front door.

const repo = fileURLToPath(new URL('../..', import.meta.url))
const read = (path: string) => readFileSync(join(repo, path), 'utf8')
const readme = read('README.md')
const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts)
const folderReadmes = execFileSync('git', [
  'ls-files',
  '--cached',
  '--others',
  '--exclude-standard',
  '*README.md',
], { cwd: repo, encoding: 'utf8' })
  .split('\n')
  .filter(path => path && path !== 'README.md' && !path.startsWith('test/fixtures/'))
// A path is written from the repository's root, or from the README's own folder; there a step
// may be named by its id (`setup/01-install-cli`) or number (`setup/06`) rather than its file.
function resolves(path: string, folder: string): boolean {
  if (existsSync(join(repo, path)))
    return true
  const local = join(repo, folder, path)
  return existsSync(local) || (existsSync(dirname(local)) && readdirSync(dirname(local)).some(name => name.startsWith(basename(local))))
}

const docs = ['README.md', 'CONTRIBUTING.md', ...folderReadmes].filter(path => existsSync(join(repo, path)))

describe('the READMEs', () => {
  it.each(docs)('%s names only npm scripts that exist', (path) => {
    const named = [...read(path).matchAll(/\bnpm run ([\w:-]*[\w-])/g)].map(match => match[1]!)
    expect(named.filter(name => !scripts.includes(name))).toEqual([])
  })

  it.each(docs)('%s points at files that exist', (path) => {
    const paths = [
      ...read(path).matchAll(/`((?:\.ci|\.github|scripts|snippets|model|components|test|setup|layouts|pages|public)\/[\w./-]*\w)`/g),
    ].map(match => match[1]!)
    expect(paths.filter(named => !named.includes('<') && !resolves(named, dirname(path)))).toEqual([])
  })

  it('has a README beside the code of every tool with rules, linked from the front door or its parent folder\'s', () => {
    expect(folderReadmes.length).toBeGreaterThan(5)
    for (const path of [
      'scripts/snippet-check',
      'scripts/lab',
      'scripts/workflows',
      'scripts/deck',
      'scripts/export',
      'scripts/talk',
      'test/browser',
    ])
      expect(folderReadmes).toContain(`${path}/README.md`)
    const parentReadme = (path: string) => join(path, '../../README.md')
    const linked = (path: string) => readme.includes(path) || (existsSync(join(repo, parentReadme(path))) && read(parentReadme(path)).includes(path))
    expect(folderReadmes.filter(path => !linked(path))).toEqual([])
  })
})

describe('the front door, README.md', () => {
  it('fits on a few screens', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(160)
  })

  it('documents every npm script in its table of scripts', () => {
    const start = readme.indexOf('## Scripts')
    const table = readme.slice(start, readme.indexOf('\n## ', start + 1))
    const documented = (name: string) => name === 'test'
      ? table.includes('`npm test`')
      : table.includes(`npm run ${name}`)
    expect(scripts.filter(name => !documented(name))).toEqual([])
  })

  it('keeps its two set-up commands', () => {
    expect(readme).toContain('npm install && npm run dev')
    expect(readme).toMatch(/^npm test\b/m)
  })

  it('says how many slides the hour and the appendix have, as the deck has them', async () => {
    const index = slideIndex(await readDeck(join(repo, 'slides.md')))
    const appendix = index.filter(entry => entry.part === 'appendix').length
    expect(readme).toContain(`The hour is ${index.length - appendix} slides`)
    expect(readme).toContain(`an appendix of ${appendix} slides`)
  })

  it('maps every top-level folder of the repository', () => {
    const folders = execFileSync('git', [
      'ls-files',
      '--cached',
      '--others',
      '--exclude-standard',
    ], { cwd: repo, encoding: 'utf8' })
      .split('\n')
      .filter(path => path.includes('/'))
      .map(path => `${path.split('/')[0]}/`)
    const map = readme.slice(readme.indexOf('## Folders'))
    expect([...new Set(folders)].filter(folder => !map.includes(folder) && folder !== '.vscode/')).toEqual([])
  })
})
