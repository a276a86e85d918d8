import type { ResultPromise } from 'execa'
import { createServer } from 'node:net'
import { basename, dirname, resolve } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { execa } from 'execa'

export interface DevServer {
  origin: string
  stop: () => Promise<void>
}

/** A port on 127.0.0.1 nothing listens on right now, for a server a test starts. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  await new Promise(done => server.close(done))
  if (!address || typeof address === 'string')
    throw new Error('could not pick a free port')
  return address.port
}

/** Starts `slidev` (the dev server `npm run dev` runs) on a free port and waits until it answers. */
export async function startDevServer(entry: string, timeoutMs = 90_000): Promise<DevServer> {
  const path = resolve(entry)
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const child: ResultPromise = execa('slidev', [basename(path), '--port', String(port)], {
    cwd: dirname(path),
    preferLocal: true,
    all: true,
    reject: false,
    forceKillAfterDelay: 5000,
    env: { FORCE_COLOR: '0' },
  })
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM')
    await child
  }
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.nodeChildProcess.exitCode !== null)
      throw new Error(`slidev exited with status ${child.nodeChildProcess.exitCode} before it served ${origin}`)
    const ready = await fetch(`${origin}/`).then(response => response.ok, () => false)
    if (ready)
      return { origin, stop }
    await delay(250)
  }
  await stop()
  throw new Error(`slidev did not answer on ${origin} within ${timeoutMs / 1000}s`)
}
