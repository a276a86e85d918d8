import type { Page } from 'playwright-chromium'
import type { Paper } from './paper'
import { chromium } from 'playwright-chromium'
import { HEADLESS_CHROMIUM_ARGS } from '../core/chromium'

export interface PrintHtmlOptions {
  html: string
  chromiumPath: string
  output: string
  paper: Paper
  /** Runs on the laid-out page before it prints; problems it returns stop the print. */
  check?: (page: Page) => Promise<string[]>
}

export class HtmlLayoutError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'))
  }
}

/** Prints a self-contained HTML document (fonts inline, nothing fetched) with the given Chromium. */
export async function printHtml(options: PrintHtmlOptions): Promise<void> {
  const browser = await chromium.launch({ executablePath: options.chromiumPath, args: HEADLESS_CHROMIUM_ARGS })
  try {
    const context = await browser.newContext({ offline: true })
    // tsx compiles with keepNames, which wraps functions in a __name helper the page lacks.
    await context.addInitScript('globalThis.__name = (fn) => fn')
    const page = await context.newPage()
    await page.setContent(options.html, { waitUntil: 'load' })
    await page.evaluate(() => document.fonts.ready.then(() => true))
    await page.emulateMedia({ media: 'print' })
    const problems = await options.check?.(page) ?? []
    if (problems.length)
      throw new HtmlLayoutError(problems)
    await page.pdf({
      path: options.output,
      width: `${options.paper.widthMm}mm`,
      height: `${options.paper.heightMm}mm`,
      margin: {
        top: '0',
        right: '0',
        bottom: '0',
        left: '0',
      },
      printBackground: true,
      preferCSSPageSize: true,
    })
  }
  finally {
    await browser.close()
  }
}
