import type { Plugin } from 'vite'
import type { StepServer, StepServerOptions } from './step-server'
import process from 'node:process'
import { LIVE_STEPS_TOKEN_META } from '../../model/live-steps'
import { readScenarios } from '../snippet-check/scenarios'
import { readPins } from '../snippet-check/static-checks'
import { createStepServer } from './step-server'
import { isLoopbackAddress, isLoopbackHost } from './step-server-checks'

// The Vite plugin that mounts the step server on Slidev's dev server, in present mode only:
// setup/vite-plugins.ts adds it when `npm run present` set SLIDEV_LIVE_STEPS=1 and Slidev runs
// its dev server; `npm run dev`, `build` and `export` never get it, so they have no endpoint, no
// token and no run controls.

export const LIVE_STEPS_ENV = 'SLIDEV_LIVE_STEPS'

export function liveStepsEnabled(env: NodeJS.ProcessEnv, mode: 'dev' | 'build' | 'export'): boolean {
  return env[LIVE_STEPS_ENV] === '1' && mode === 'dev'
}

/** What the plugin needs of Slidev's resolved options: the deck's root, --remote, and its page. */
export interface SlidevFacts {
  userRoot: string
  remote?: string | undefined
  /** Slidev serves this string as the deck page in dev (it does not go through transformIndexHtml). */
  utils: { indexHtml: string }
}

export const EXPOSED_MESSAGE = 'npm run present runs hands-on steps on your clusters from the slides, so it serves the deck on this machine only (localhost)'

export function withTokenMeta(html: string, token: string): string {
  const meta = `<meta name="${LIVE_STEPS_TOKEN_META}" content="${token}">`
  if (!html.includes('<head>'))
    throw new Error('present: the deck page has no <head> to hold the live-steps token')
  return html.replace('<head>', `<head>\n  ${meta}`)
}

export function liveStepsPlugin(slidev: SlidevFacts, overrides: Partial<StepServerOptions> = {}): Plugin {
  let steps: StepServer | undefined
  return {
    name: 'deck:live-steps',
    apply: 'serve',
    configResolved(config) {
      if (slidev.remote !== undefined)
        throw new Error(`${EXPOSED_MESSAGE}: it does not run with --remote`)
      if (!isLoopbackHost(config.server.host))
        throw new Error(`${EXPOSED_MESSAGE}: the dev server's host is ${String(config.server.host)}, not loopback (check vite.config.ts)`)
    },
    configureServer(server) {
      const root = slidev.userRoot
      steps = createStepServer({
        root,
        scenarios: readScenarios(root),
        pins: readPins(root),
        log: line => console.log(line),
        ...overrides,
      })
      slidev.utils.indexHtml = withTokenMeta(slidev.utils.indexHtml, steps.token)
      server.middlewares.use(steps.middleware)
      server.httpServer?.on('close', () => steps?.close())
      // The host was checked above; this checks where the server really listens, in case
      // anything else moved it.
      server.httpServer?.on('listening', () => {
        const address = server.httpServer?.address()
        if (address && typeof address === 'object' && !isLoopbackAddress(address.address)) {
          console.error(`${EXPOSED_MESSAGE}: the dev server listens on ${address.address}, beyond loopback; stopping`)
          steps?.close()
          process.exit(2)
        }
      })
    },
    closeBundle() {
      steps?.close()
    },
  }
}
