import type { GateRun } from '../../scripts/lib/browser-gates'
import type { DevServer } from '../../scripts/lib/dev-server'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatFailure, runBrowserGates } from '../../scripts/lib/browser-gates'
import { findLocalChromium } from '../../scripts/lib/chromium'
import { readDeck } from '../../scripts/lib/deck-source'
import { startDevServer } from '../../scripts/lib/dev-server'

const entry = fileURLToPath(new URL('../../slides.md', import.meta.url))

// What the presenter runs on stage: the dev server must not need the network either.
describe('the talk on the dev server (npm run dev)', () => {
  let server: DevServer | undefined
  let run: GateRun

  beforeAll(async () => {
    const [deck, chromium] = await Promise.all([
      readDeck(entry),
      findLocalChromium(),
    ])
    server = await startDevServer(entry)
    run = await runBrowserGates({
      target: { origin: server.origin },
      deck,
      chromiumPath: chromium.path,
      schemes: ['light'],
      // The built deck's tests already pin errors and notes to slides one by one.
      perSlidePasses: false,
    })
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('walks every slide and passes every gate', () => {
    expect(new Set(run.visited.map(state => state.no)).size).toBeGreaterThan(10)
    expect(run.failures.map(formatFailure)).toEqual([])
  })
})
