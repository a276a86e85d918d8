import type { DevServer } from './harness/dev-server'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { findLocalChromium } from '../../scripts/core/chromium'
import { probeOffline } from './harness/browser-gates'
import { startDevServer } from './harness/dev-server'

const entry = fileURLToPath(new URL('../../slides.md', import.meta.url))

// What the presenter runs on stage: the dev server, slides and presenter mode, must not need the network.
describe('the talk on the dev server (npm run dev)', () => {
  let server: DevServer | undefined

  afterAll(async () => {
    await server?.stop()
  })

  it('serves slides and presenter mode without any request beyond 127.0.0.1 or any error', async () => {
    const chromium = await findLocalChromium()
    server = await startDevServer(entry)
    expect(await probeOffline(server.origin, chromium.path)).toEqual([])
  }, 180_000)
})
