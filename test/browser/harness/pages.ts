import type { Browser, BrowserContext, Locator, Page } from 'playwright-chromium'

// How the browser tests open a page of a built or served deck, and reach a control by keyboard.

export type ColorScheme = 'light' | 'dark'

export interface OpenedPage {
  /** Close it when done: it is the page's own. */
  context: BrowserContext
  page: Page
  /** Uncaught page errors, and with `consoleErrors` console errors too, as they happen. */
  errors: string[]
}

/** A 1280×720 page in a context of its own, in the given colour scheme. */
export async function openPage(browser: Browser, scheme: ColorScheme, { consoleErrors = true } = {}): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
    colorScheme: scheme,
  })
  // Vite and tsx compile with keepNames, which wraps functions in a __name helper the page lacks.
  await context.addInitScript('globalThis.__name = (fn) => fn')
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', error => errors.push(error.message))
  if (consoleErrors) {
    page.on('console', (message) => {
      if (message.type() === 'error')
        errors.push(message.text())
    })
  }
  return { context, page, errors }
}

/** Presses Tab (at most `presses` times) until `target` has the focus; whether it got there. */
export async function tabTo(page: Page, target: Locator, presses = 20): Promise<boolean> {
  await target.waitFor()
  for (let pressed = 0; pressed < presses; pressed++) {
    await page.keyboard.press('Tab')
    if (await target.evaluate(element => element === document.activeElement))
      return true
  }
  return false
}
