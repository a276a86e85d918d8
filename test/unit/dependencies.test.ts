// Dependencies: what the docs say about them holds for what is installed.
//
// npm install downloads no browser and runs no install script the project has not allowed.
// package.json's allowScripts denies playwright-chromium's script (npm 11.16 and later, npm 12
// included); npm 10 (Node 20's) ignores allowScripts, so every place that installs also sets
// PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD, the variable the installed Playwright's install script reads.
// No .npmrc key does it: npm 11 warns about keys it does not know, and npm 12 drops them.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const read = (path: string) => readFileSync(join(repo, path), 'utf8')
const VARIABLE = 'PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD'

interface Step { run?: string, env?: Record<string, unknown> }
interface Job { env?: Record<string, unknown>, steps?: Step[] }
interface Workflow { env?: Record<string, unknown>, jobs?: Record<string, Job> }

describe('install policy', () => {
  it('denies playwright-chromium\'s install script in allowScripts', () => {
    const pkg = JSON.parse(read('package.json')) as { allowScripts?: Record<string, boolean> }
    expect(pkg.allowScripts?.['playwright-chromium']).toBe(false)
  })

  it('sets no Playwright switch in .npmrc (npm 11 warns about it, npm 12 ignores it)', () => {
    const npmrc = existsSync(join(repo, '.npmrc')) ? read('.npmrc') : ''
    expect(npmrc).not.toMatch(/playwright/i)
  })

  it('names the variable the installed Playwright\'s install script reads', () => {
    const require = createRequire(join(repo, 'node_modules/playwright-chromium/package.json'))
    expect(read('node_modules/playwright-chromium/install.js')).toContain('installBrowsersForNpmInstall')
    const core = dirname(require.resolve('playwright-core/package.json'))
    const installer = readdirSync(join(core, 'lib'), { recursive: true, encoding: 'utf8' })
      .filter(file => file.endsWith('.js'))
      .map(file => readFileSync(join(core, 'lib', file), 'utf8'))
      .map(source => /function installBrowsersForNpmInstall\([^)]*\) \{[^}]*/.exec(source)?.[0])
      .find(Boolean)
    expect(installer).toContain(`getAsBooleanFromENV("${VARIABLE}")`)
  })

  it('sets the variable before .ci/run installs', () => {
    const lines = read('.ci/run').split('\n')
    const install = lines.findIndex(line => /^npm (?:ci|install)\b/.test(line))
    const exported = lines.findIndex(line => line === `export ${VARIABLE}=1`)
    expect(install).toBeGreaterThan(0)
    expect(exported).toBeGreaterThan(0)
    expect(exported).toBeLessThan(install)
  })

  it('sets the variable on every workflow step that runs npm ci or npm install', () => {
    const unset: string[] = []
    for (const file of readdirSync(join(repo, '.github/workflows'))) {
      const workflow = parse(read(`.github/workflows/${file}`)) as Workflow
      for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
        for (const step of job.steps ?? []) {
          if (!step.run || !/\bnpm (?:ci|install|i)\b/.test(step.run))
            continue
          const env = {
            ...workflow.env,
            ...job.env,
            ...step.env,
          }
          if (String(env[VARIABLE]) !== '1')
            unset.push(`${file}: job ${name}: ${step.run.trim()}`)
        }
      }
    }
    expect(unset).toEqual([])
  })
})

describe('versions the documentation names', () => {
  it('names the installed kubernetes-models wherever a README says which one checks the manifests', () => {
    const installed = (JSON.parse(read('node_modules/kubernetes-models/package.json')) as { version: string }).version
    // Every README in the repository (the top one and those beside the code), fixtures aside.
    const readmes = execFileSync('git', ['ls-files', '*README.md'], { cwd: repo, encoding: 'utf8' })
      .split('\n')
      .filter(path => path && !path.startsWith('test/fixtures/'))
    const named = readmes.flatMap(path => [
      ...read(path).matchAll(/kubernetes-models (\d+\.\d+)\b/g),
    ].map(match => `${path}: ${match[1]}`))
    expect(named.length).toBeGreaterThan(0)
    expect(named.filter(entry => !installed.startsWith(`${entry.split(': ')[1]}.`))).toEqual([])
  })
})
