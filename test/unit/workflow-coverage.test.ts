import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

// What the workflows must agree on with the rest of the repository: the live check's path
// filter covers every file its commands load or read, the Node.js every workflow runs is the
// one .nvmrc names, and the Pages artifact keeps .nojekyll.

const repo = fileURLToPath(new URL('../..', import.meta.url))
const read = (path: string) => readFileSync(join(repo, path), 'utf8')

interface Step { uses?: string, run?: string, with?: Record<string, unknown> }
interface Job { 'container'?: string | { image?: string }, 'steps'?: Step[], 'runs-on'?: string }
interface Workflow { on?: { pull_request?: { paths?: string[] } }, jobs: Record<string, Job> }

const workflow = (file: string) => parse(read(`.github/workflows/${file}`)) as Workflow
const workflowFiles = readdirSync(join(repo, '.github/workflows')).filter(name => /\.ya?ml$/.test(name))

/** The repository's TypeScript files a script loads, following relative imports. */
function localImports(entries: string[]): Set<string> {
  const seen = new Set<string>()
  const queue = [...entries]
  while (queue.length) {
    const file = queue.pop()!
    if (seen.has(file))
      continue
    seen.add(file)
    if (!/\.(?:ts|js|mjs)$/.test(file))
      continue
    const source = read(file)
    for (const match of source.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const base = join(dirname(join(repo, file)), match[1]!)
      const found = [
        base,
        `${base}.ts`,
        `${base}.js`,
        join(base, 'index.ts'),
      ].find(path => existsSync(path) && statSync(path).isFile())
      if (found)
        queue.push(relative(repo, found))
    }
  }
  return seen
}

/** GitHub's path filter patterns, as far as this repository uses them: `**`, `*`, literal paths. */
function matches(path: string, pattern: string): boolean {
  const regex = pattern
    .split(/(\*\*\/?|\*)/)
    .map(part => part === '**' || part === '**/'
      ? '.*'
      : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('')
  return new RegExp(`^${regex}$`).test(path)
}

describe('the live check\'s path filter', () => {
  const filters = workflow('snippets-live.yml').on?.pull_request?.paths ?? []

  it('matches the way GitHub does for the patterns it uses', () => {
    expect(matches('scripts/talk/stage.ts', 'scripts/talk/**')).toBe(true)
    expect(matches('scripts/talkative.ts', 'scripts/talk/**')).toBe(false)
    expect(matches('slides.md', 'slides.md')).toBe(true)
    expect(matches('pages/05-cni.md', 'pages/*.md')).toBe(true)
  })

  it('covers every file the live check and the rehearsal load, and the deck they read', () => {
    // The commands the workflow runs, and the files they read at run time rather than import:
    // the deck (which steps the slides show), the snippets, the install scripts, the lockfile.
    const loaded = [...localImports(['scripts/check-snippets.ts', 'scripts/stage.ts', 'scripts/demo.ts'])]
    const read = [
      'slides.md',
      'pages/07-hands-on.md',
      'snippets/versions.env',
      'snippets/setup/01-install-cli.sh',
      '.ci/install-live-tools',
      '.ci/raise-sysctl',
      '.nvmrc',
      'package.json',
      'package-lock.json',
      '.github/workflows/snippets-live.yml',
    ]
    expect(loaded.length).toBeGreaterThan(10)
    expect([...loaded, ...read].filter(path => !filters.some(pattern => matches(path, pattern)))).toEqual([])
  })

  it('names a file it would miss', () => {
    expect(['model/pod-startup.ts'].filter(path => !['model/snippet-session.ts'].some(pattern => matches(path, pattern)))).toEqual(['model/pod-startup.ts'])
  })
})

describe('node.js on CI', () => {
  const major = read('.nvmrc').trim()

  it('.nvmrc names a major version line', () => {
    expect(major).toMatch(/^\d+$/)
  })

  it('every container is the node image of .nvmrc\'s version, every job on a bare runner that runs npm sets that Node up', () => {
    const wrong: string[] = []
    for (const file of workflowFiles) {
      for (const [name, job] of Object.entries(workflow(file).jobs)) {
        const image = typeof job.container === 'string' ? job.container : job.container?.image
        const runsNpm = (job.steps ?? []).some(step => /\b(?:npm|npx|node)\s/.test(step.run ?? ''))
        if (image && !image.startsWith(`node:${major}-`))
          wrong.push(`${file} ${name}: container ${image}`)
        if (!image && runsNpm && !(job.steps ?? []).some(step => step.uses?.startsWith('actions/setup-node@') && step.with?.['node-version-file'] === '.nvmrc'))
          wrong.push(`${file} ${name}: runs npm on the runner's own Node.js`)
      }
    }
    expect(wrong).toEqual([])
  })
})

describe('the Pages workflow', () => {
  const pages = workflow('pages.yml')
  const steps = Object.values(pages.jobs).flatMap(job => job.steps ?? [])

  it('builds under the repository\'s name and keeps .nojekyll in the artifact (hidden files are left out by default)', () => {
    expect(steps.some(step => /npm run build:site -- .*--repository "\$GITHUB_REPOSITORY"/.test(step.run ?? ''))).toBe(true)
    const upload = steps.find(step => step.uses?.startsWith('actions/upload-pages-artifact@'))
    expect(upload?.with?.['include-hidden-files']).toBe(true)
  })

  it('publishes each PDF it exports', () => {
    const build = steps.find(step => step.run?.includes('build:site'))!.run!
    for (const name of ['what-really-happens-at-startup.pdf', 'what-really-happens-at-startup-handout.pdf', 'what-really-happens-at-startup-cheat-sheet.pdf'])
      expect(build).toContain(`--with ${name}`)
  })
})
