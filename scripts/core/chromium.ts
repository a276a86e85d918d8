import { existsSync } from 'node:fs'
import process from 'node:process'

export interface ChromiumLookup {
  env: Record<string, string | undefined>
  platform: NodeJS.Platform
  exists: (path: string) => boolean
  /** Where Playwright would keep its own download, if it has one. */
  playwrightExecutable: () => string | undefined
}

export interface FoundChromium {
  path: string
  source: 'env' | 'system' | 'playwright'
}

export const CHROMIUM_ENV_VAR = 'CHROMIUM_PATH'

const SYSTEM_PATHS: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
  ],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
  ],
}

export class ChromiumNotFoundError extends Error {}

export function systemChromiumPaths(platform: NodeJS.Platform): string[] {
  return SYSTEM_PATHS[platform] ?? []
}

const NOT_FOUND_ADVICE = [
  'No Chromium found. The deck is exported and tested in a local Chromium and never downloads one. Get one in any of three ways:',
  `(1) point ${CHROMIUM_ENV_VAR} at a Chrome or Chromium executable, e.g. ${CHROMIUM_ENV_VAR}=/usr/bin/chromium;`,
  '(2) install the system package: `sudo apt-get install -y chromium` on Debian or Ubuntu, or Google Chrome on macOS;',
  '(3) let Playwright download its own: `npx playwright install chromium` (this needs internet access).',
].join(' ')

export function findChromium(lookup: ChromiumLookup): FoundChromium {
  const fromEnv = lookup.env[CHROMIUM_ENV_VAR]
  if (fromEnv) {
    if (!lookup.exists(fromEnv))
      throw new ChromiumNotFoundError(`${CHROMIUM_ENV_VAR} is set to ${fromEnv}, but no file exists there. Fix or unset ${CHROMIUM_ENV_VAR}.`)
    return { path: fromEnv, source: 'env' }
  }
  const system = systemChromiumPaths(lookup.platform).find(path => lookup.exists(path))
  if (system)
    return { path: system, source: 'system' }
  const cached = lookup.playwrightExecutable()
  if (cached && lookup.exists(cached))
    return { path: cached, source: 'playwright' }
  throw new ChromiumNotFoundError(NOT_FOUND_ADVICE)
}

async function playwrightCachedExecutable(): Promise<string | undefined> {
  try {
    const { chromium } = await import('playwright-chromium')
    return chromium.executablePath()
  }
  catch {
    return undefined
  }
}

/** The Chromium of this machine, looked up in the order the README documents. */
export async function findLocalChromium(): Promise<FoundChromium> {
  const cached = await playwrightCachedExecutable()
  return findChromium({
    env: process.env,
    platform: process.platform,
    exists: existsSync,
    playwrightExecutable: () => cached,
  })
}

/** Flags for a headless Chromium on a locked-down machine (root, closed network). */
export const HEADLESS_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
