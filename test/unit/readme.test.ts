import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The README is the contract with presenters and reviewers: what it tells them to run must exist,
// and what package.json offers must be in it.

const repo = fileURLToPath(new URL('../..', import.meta.url))
const readme = readFileSync(join(repo, 'README.md'), 'utf8')
const scripts = Object.keys((JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts)

describe('rEADME', () => {
  it('names only npm scripts that exist', () => {
    const named = [
      ...readme.matchAll(/\bnpm run ([\w:-]+)/g),
    ].map(match => match[1]!)
    expect(named.length).toBeGreaterThan(0)
    expect(named.filter(name => !scripts.includes(name))).toEqual([])
  })

  it('documents every npm script in its table of scripts', () => {
    const table = readme.slice(readme.indexOf('## Scripts'), readme.indexOf('\n## ', readme.indexOf('## Scripts') + 1))
    const documented = (name: string) => name === 'test'
      ? table.includes('`npm test`')
      : table.includes(`npm run ${name}`)
    expect(scripts.filter(name => !documented(name))).toEqual([])
  })

  it('keeps its two set-up commands', () => {
    expect(readme).toContain('npm install && npm run dev')
    expect(readme).toMatch(/^npm test\b/m)
  })

  it('points at files that exist', () => {
    const paths = [
      ...readme.matchAll(/`((?:\.ci|\.github|scripts|snippets|model|components|test|setup|layouts|pages|public)\/[\w./-]*\w)`/g),
    ].map(match => match[1]!)
    expect(paths.length).toBeGreaterThan(10)
    expect(paths.filter(path => !path.includes('<') && !existsSync(join(repo, path)))).toEqual([])
  })
})
