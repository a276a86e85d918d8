// Usage (from /work/main, dev server on :3999): tsx shot.mts N [N...]  -> /tmp/shot-N.png + text sizes
import { chromium } from 'playwright-chromium'
import { inspectSlide } from './lib/slide-inspector'
const nums = process.argv.slice(2).map(Number)
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const p = await b.newPage({ viewport: { width: 980, height: 552 } })
await p.addInitScript('window.__name = (f) => f')
for (const n of nums) {
  await p.goto(`http://localhost:3999/${n}?clicks=99`, { waitUntil: 'networkidle' })
  await p.waitForTimeout(1200)
  await p.screenshot({ path: `/tmp/shot-${n}.png` })
  const r = await p.evaluate(inspectSlide, { slideNo: n, tolerance: 1 })
  console.log(n, JSON.stringify(r.smallestText.map(t => [t.kind, t.px, t.sample.slice(0, 20)])), r.overflow.slice(0, 3).join(' | '))
}
await b.close()
