import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { CliError, runCli } from './core/cli'
import { servePagesSite } from './pages/serve'
import { checkBase, SiteInputError } from './pages/site'

// npm run serve:site -- [DIR (tmp/site)] [--base /PATH/] [--port N]
// A built site (npm run build:site) on 127.0.0.1, served the way GitHub Pages serves it.

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      base: { type: 'string', default: '/' },
      port: { type: 'string', default: '4173' },
    },
  })
  const dir = positionals[0] ?? 'tmp/site'
  try {
    if (!existsSync(join(dir, 'index.html')))
      throw new SiteInputError(`${dir} holds no built site (no index.html): build one with npm run build:site`)
    const server = await servePagesSite(dir, checkBase(values.base), Number(values.port))
    console.log(`serving ${dir} at ${server.url} (127.0.0.1 only; Ctrl-C stops)`)
    return 0
  }
  catch (error) {
    if (error instanceof SiteInputError)
      throw new CliError(`npm run serve:site: ${error.message}`)
    throw error
  }
}

await runCli(main)
