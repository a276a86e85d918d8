import { chromium } from 'playwright-chromium'
const [slide, clicks, out, dark, ...labels] = process.argv.slice(2)
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const p = await b.newPage({ viewport: { width: 980, height: 552 }, colorScheme: dark === 'dark' ? 'dark' : 'light' })
await p.goto(`http://localhost:3999/${slide}?clicks=${clicks}`, { waitUntil: 'networkidle' })
await p.waitForTimeout(800)
for (const l of labels) {
  if (l.startsWith('key:')) await p.keyboard.press(l.slice(4))
  else await p.getByText(l, { exact: true }).click()
}
await p.waitForTimeout(300)
await p.screenshot({ path: out })
await b.close()
