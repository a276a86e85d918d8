import type { Options } from 'execa'
import { setTimeout as delay } from 'node:timers/promises'
import { runScript } from '../../run-script'
import { freePort } from './dev-server'

// `npm run present` as a presenter starts it, for the browser tests that drive its live steps.

export interface PresentServer {
  origin: string
  /** Ends it as Ctrl-C in its terminal would, and waits until it has. */
  stop: () => Promise<void>
}

/** `npm run present <deck>` on a free localhost port, once it serves (at most 120 s). */
export async function startPresent(deck: string, options: Pick<Options, 'env' | 'extendEnv'>): Promise<PresentServer> {
  const port = await freePort()
  const origin = `http://localhost:${port}`
  const present = runScript('scripts/present.ts', [deck, '--port', String(port), '--no-open'], {
    ...options,
    all: true,
    forceKillAfterDelay: 5000,
  })
  let log = ''
  present.all.on('data', (chunk: Uint8Array) => log += new TextDecoder().decode(chunk))
  const stop = async () => {
    present.kill('SIGTERM')
    await present
  }
  const deadline = Date.now() + 120_000
  while (!await fetch(`${origin}/`).then(response => response.ok, () => false)) {
    if (present.nodeChildProcess.exitCode !== null || Date.now() > deadline) {
      await stop()
      throw new Error(`npm run present did not serve ${origin}:\n${log}`)
    }
    await delay(250)
  }
  return { origin, stop }
}
