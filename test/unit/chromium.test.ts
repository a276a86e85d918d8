import type { ChromiumLookup } from '../../scripts/core/chromium'
import { describe, expect, it } from 'vitest'
import { ChromiumNotFoundError, findChromium } from '../../scripts/core/chromium'

function lookup(files: string[], overrides: Partial<ChromiumLookup> = {}): ChromiumLookup {
  return {
    env: {},
    platform: 'linux',
    exists: path => files.includes(path),
    playwrightExecutable: () => '/root/.cache/ms-playwright/chromium-1/chrome-linux/chrome',
    ...overrides,
  }
}

describe('findChromium', () => {
  it('prefers CHROMIUM_PATH over everything else', () => {
    const found = findChromium(lookup(['/opt/chrome', '/usr/bin/chromium'], {
      env: { CHROMIUM_PATH: '/opt/chrome' },
    }))
    expect(found).toEqual({ path: '/opt/chrome', source: 'env' })
  })

  it('refuses a CHROMIUM_PATH that points at nothing instead of silently using another browser', () => {
    expect(() => findChromium(lookup(['/usr/bin/chromium'], {
      env: { CHROMIUM_PATH: '/nope' },
    })))
      .toThrow(/CHROMIUM_PATH is set to \/nope, but no file exists there/)
  })

  it('finds Debian\'s chromium, then Chrome, at the usual Linux paths', () => {
    expect(findChromium(lookup(['/usr/bin/chromium'])).path).toBe('/usr/bin/chromium')
    expect(findChromium(lookup(['/usr/bin/google-chrome-stable'])).path).toBe('/usr/bin/google-chrome-stable')
  })

  it('finds Chrome on macOS', () => {
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
    expect(findChromium(lookup([chrome, '/usr/bin/chromium'], { platform: 'darwin' }))).toEqual({ path: chrome, source: 'system' })
  })

  it('falls back to Playwright\'s own download when there is no system browser', () => {
    const cached = '/root/.cache/ms-playwright/chromium-1/chrome-linux/chrome'
    expect(findChromium(lookup([cached]))).toEqual({ path: cached, source: 'playwright' })
  })

  it('names the three ways to get a browser when there is none', () => {
    const error = (() => {
      try {
        findChromium(lookup([]))
      }
      catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(ChromiumNotFoundError)
    const message = (error as Error).message
    expect(message).toContain('CHROMIUM_PATH')
    expect(message).toContain('apt-get install -y chromium')
    expect(message).toContain('npx playwright install chromium')
    expect(message).not.toContain('\n    at ')
  })
})
