import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The pull request template tells contributors what to run: what it names must exist (the
// README test holds CONTRIBUTING.md to the same), and it asks the three questions reviewers need.

const repo = fileURLToPath(new URL('../..', import.meta.url))
const read = (path: string) => readFileSync(join(repo, path), 'utf8')
const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts)

describe('the pull request template', () => {
  const text = read('.github/PULL_REQUEST_TEMPLATE.md')

  it('names only npm scripts that exist', () => {
    const named = [...text.matchAll(/\bnpm run ([\w:-]+)/g)].map(match => match[1]!)
    expect(named.length).toBeGreaterThan(0)
    expect(named.filter(name => !scripts.includes(name))).toEqual([])
  })

  it('points at files that exist', () => {
    const paths = [
      ...text.matchAll(/`((?:\.ci|\.github|scripts|snippets|model|components|test|setup|layouts|pages|public)\/[\w./-]*\w)`/g),
    ]
      .map(match => match[1]!)
      .filter(path => !path.includes('<'))
    expect(paths.filter(path => !existsSync(join(repo, path)))).toEqual([])
  })
})

describe('the pull request template\'s questions', () => {
  it('asks for the slides touched, the sources checked and the checks run', () => {
    const template = read('.github/PULL_REQUEST_TEMPLATE.md')
    for (const heading of ['## Slides touched', '## Sources checked', '## Checks run'])
      expect(template).toContain(heading)
  })
})

describe('editor settings', () => {
  it('recommends extensions by their marketplace ids, each once', () => {
    const { recommendations } = JSON.parse(read('.vscode/extensions.json')) as { recommendations: string[] }
    expect(recommendations).toContain('Vue.volar')
    expect(recommendations.every(id => /^[\w-]+\.[\w-]+$/.test(id))).toBe(true)
    expect(new Set(recommendations).size).toBe(recommendations.length)
  })

  it('.editorconfig is the root one, LF and two spaces', () => {
    const config = read('.editorconfig')
    expect(config).toMatch(/^root = true$/m)
    expect(config).toMatch(/^end_of_line = lf$/m)
    expect(config).toMatch(/^indent_size = 2$/m)
  })
})
