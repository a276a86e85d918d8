import type { Browser } from 'playwright-chromium'
// A full rehearsal of the hands-on, end to end, as a presenter does it the hour before and on
// stage, on the staging fixture (test/fixtures/stage/: a two-cluster talk in miniature that is also
// a one-slide deck) with the stand-in kind, kubectl, docker and linkerd: npm run stage, --check,
// a step run from the slide in npm run present (browser, keyboard), the scenario driven with
// npm run demo through its stdin, --check noticing the rehearsal, --reset, --check again, --down.
import type { PresentServer } from './harness/present-server'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-chromium'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { findLocalChromium, HEADLESS_CHROMIUM_ARGS } from '../../scripts/core/chromium'
import { talkPaths } from '../../scripts/talk/talk-files'
import { runScript } from '../run-script'
import { openPage, tabTo } from './harness/pages'
import { startPresent } from './harness/present-server'

const fixture = fileURLToPath(new URL('../fixtures/stage', import.meta.url))
const standIns = fileURLToPath(new URL('../fixtures/stand-in-bin', import.meta.url))

const home = mkdtempSync(join(tmpdir(), 'rehearsal-'))
const env = {
  HOME: home,
  PATH: `${standIns}:${process.env.PATH}`,
  FORCE_COLOR: '0',
  NO_COLOR: '1',
}

function node(script: string, args: string[], input?: string) {
  return runScript(script, args, {
    extendEnv: false,
    env,
    all: true,
    ...(input === undefined ? {} : { input }),
  })
}

const stage = (...args: string[]) => node('scripts/stage.ts', ['--root', fixture, ...args])
const contexts = () => ((parse(readFileSync(join(home, '.kube', 'config'), 'utf8')) as { contexts: { name: string }[] }).contexts).map(c => c.name)
function clusters() {
  return existsSync(join(home, 'stand-in-clusters'))
    ? readdirSync(join(home, 'stand-in-clusters')).sort()
    : []
}

describe('a full rehearsal: stage, check, present, demo, reset, down', () => {
  let present: PresentServer | undefined
  let browser: Browser | undefined

  beforeAll(() => {
    rmSync(talkPaths(fixture).dir, { recursive: true, force: true })
    mkdirSync(join(home, '.kube'), { recursive: true })
    writeFileSync(join(home, '.kube', 'config'), 'apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster: {server: "https://prod.example:6443"}\ncontexts:\n- name: prod\n  context: {cluster: prod, user: prod}\ncurrent-context: prod\nusers:\n- name: prod\n  user: {token: abc}\n')
  })

  afterAll(async () => {
    await browser?.close()
    await present?.stop()
    rmSync(talkPaths(fixture).dir, { recursive: true, force: true })
    rmSync(home, { recursive: true, force: true })
  })

  it('goes from nothing to a staged, checked pair of clusters, runs the hands-on, resets and cleans up', { timeout: 240_000 }, async () => {
    // An hour before: stage, and stage again (nothing to do), then check.
    const staged = await stage()
    expect(staged.exitCode, staged.all).toBe(0)
    expect(clusters()).toEqual(['startup-cni', 'startup-init'])
    expect(contexts().sort()).toEqual(['kind-startup-cni', 'kind-startup-init', 'prod'])
    const again = await stage()
    expect(again.all).toContain('everything was staged already')
    const checked = await stage('--check')
    expect(checked.exitCode, checked.all).toBe(0)
    expect(checked.all).toMatch(/\d+ checks passed: ready to go on stage/)

    // On stage: npm run present, Tab to the crash-looping pod's run control, Enter.
    present = await startPresent('test/fixtures/stage/slides.md', { extendEnv: false, env })
    const origin = present.origin
    browser = await chromium.launch({ executablePath: (await findLocalChromium()).path, args: HEADLESS_CHROMIUM_ARGS })
    const { page, errors } = await openPage(browser, 'light', { consoleErrors: false })
    await page.goto(`${origin}/1`, { waitUntil: 'load' })
    const terminal = (step: string) => page.locator(`.snippet-run[data-step="${step}"]`)
    await expect.poll(() => terminal('d-cni-broken/02-break-cni').locator('.snippet-run__badge').textContent()).toMatch(/^staged \d\d:\d\d$/)
    const run = terminal('d-cni-broken/05-pods').locator('button.snippet-run__run')
    expect(await tabTo(page, run), 'Tab reaches the run control').toBe(true)
    await page.keyboard.press('Enter')
    await expect.poll(() => terminal('d-cni-broken/05-pods').locator('.snippet-run__mark').textContent(), { timeout: 30_000 }).toBe('✓ matches expected')
    expect(await terminal('d-cni-broken/05-pods').locator('code').textContent()).toContain('Init:CrashLoopBackOff')
    expect(new URL(page.url()).pathname).toBe('/1')
    expect(errors).toEqual([])
    await browser.close()
    browser = undefined
    await present.stop()
    present = undefined

    // The rest of the scenario from the terminal driver, every staged step skipped: Enter per step.
    const demo = await node('scripts/demo.ts', [
      '--root',
      fixture,
      'd-cni-broken',
      '--shown-only',
    ], '\n\n\n\n\n\n')
    expect(demo.exitCode, demo.all).toBe(0)
    expect(demo.all).toContain('skipped, npm run stage has run it')
    expect(demo.all!.match(/✓ matches the expected output/g)?.length).toBeGreaterThanOrEqual(2)

    // After the rehearsal the cluster no longer holds what the talk starts from; --reset puts it back.
    const stale = await stage('--check')
    expect(stale.exitCode).toBe(1)
    expect(stale.all).toMatch(/FAIL d-cni-broken: ready for d-cni-broken\/05-pods: output differs/)
    const reset = await stage('--reset', 'd-cni-broken')
    expect(reset.exitCode, reset.all).toBe(0)
    expect(reset.all).toContain('deleted snippets/apps/latecomer.yaml')
    const fresh = await stage('--check')
    expect(fresh.exitCode, fresh.all).toBe(0)

    // After the talk: only the clusters stage created go, with their contexts.
    const down = await stage('--down')
    expect(down.exitCode, down.all).toBe(0)
    expect(clusters()).toEqual([])
    expect(contexts()).toEqual(['prod'])
  })
})
