import { parseArgs } from 'node:util'
import { CliError, runCli } from './core/cli'
import { readDeck } from './core/deck-source'
import { buildSite, SiteBuildError } from './pages/build'
import { checkBase, pagesBase, SiteInputError } from './pages/site'

// npm run build:site -- [--repository OWNER/NAME | --base /PATH/] [--out tmp/site] [--with FILE]... [--commit SHA] [--summary FILE]
// The deck as a GitHub Pages site: see scripts/pages/README.md.
// Exit status: 0 written, 2 bad input (named), 1 the build failed.

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      entry: { type: 'string', default: 'slides.md' },
      repository: { type: 'string' },
      base: { type: 'string' },
      out: { type: 'string', default: 'tmp/site' },
      with: { type: 'string', multiple: true, default: [] },
      commit: { type: 'string' },
      summary: { type: 'string' },
    },
  })
  try {
    if (values.repository && values.base)
      throw new SiteInputError('give --repository or --base, not both')
    const base = values.base ? checkBase(values.base) : values.repository ? pagesBase(values.repository) : '/'
    const deck = await readDeck(values.entry)
    const out = await buildSite({
      deck,
      base,
      outDir: values.out,
      downloads: values.with,
      commit: values.commit,
    })
    console.log(`wrote ${out}: ${deck.slides.length} slides under ${base}, ${values.with.length} download(s), 404.html and .nojekyll`)
    return 0
  }
  catch (error) {
    if (error instanceof SiteInputError || error instanceof SiteBuildError) {
      throw new CliError(`npm run build:site: ${error.message}`, error instanceof SiteInputError ? 2 : 1)
    }
    throw error
  }
}

await runCli(main)
