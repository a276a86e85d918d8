// Contact sheets of PNG pages: node contact.mts DIR OUTPREFIX [perSheet=12] [cols=3]
import { readdirSync, readFileSync } from 'node:fs'
import { chromium } from 'playwright-chromium'
const [dir, out, per = '12', cols = '3'] = process.argv.slice(2)
const files = readdirSync(dir).filter(f => f.endsWith('.png')).sort()
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const p = await b.newPage({ viewport: { width: 600 * Number(cols), height: 400 } })
for (let i = 0; i < files.length; i += Number(per)) {
  const chunk = files.slice(i, i + Number(per))
  const imgs = chunk.map(f => `<figure><img src="data:image/png;base64,${readFileSync(`${dir}/${f}`).toString('base64')}"><figcaption>${f}</figcaption></figure>`).join('')
  await p.setContent(`<style>body{margin:0;display:grid;grid-template-columns:repeat(${cols},1fr);gap:4px;background:#888;font:12px sans-serif}figure{margin:0}img{width:100%;display:block}</style>${imgs}`)
  await p.screenshot({ path: `${out}-${String(i / Number(per) + 1).padStart(2, '0')}.png`, fullPage: true })
}
await b.close()
