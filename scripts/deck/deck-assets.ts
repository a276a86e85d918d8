import type { DeckAssets } from './deck-lint'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, extname, join } from 'node:path'

const VUE_BUILTINS = [
  'Transition',
  'TransitionGroup',
  'KeepAlive',
  'Teleport',
  'Suspense',
  'Component',
  'RouterLink',
  'RouterView',
]

function componentNamesIn(directory: string): string[] {
  if (!existsSync(directory))
    return []
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter(file => /\.(?:vue|ts|js)$/.test(file) && !/\.(?:test|spec|d)\.ts$/.test(file))
    .map(file => basename(file, extname(file)))
}

function packageDir(name: string, from: string): string | undefined {
  try {
    return dirname(createRequire(join(from, 'package.json')).resolve(`${name}/package.json`))
  }
  catch {
    return undefined
  }
}

function findUp(from: string, relativePath: string): string | undefined {
  for (let directory = from; ; directory = dirname(directory)) {
    if (existsSync(join(directory, relativePath)))
      return join(directory, relativePath)
    if (dirname(directory) === directory)
      return undefined
  }
}

function installedIconSets(root: string): Map<string, Set<string>> {
  const sets = new Map<string, Set<string>>()
  const scope = findUp(root, join('node_modules', '@iconify-json'))
  if (!scope)
    return sets
  for (const prefix of readdirSync(scope)) {
    const file = join(scope, prefix, 'icons.json')
    if (!existsSync(file))
      continue
    const data = JSON.parse(readFileSync(file, 'utf8')) as { icons?: Record<string, unknown>, aliases?: Record<string, unknown> }
    sets.set(prefix, new Set([...Object.keys(data.icons ?? {}), ...Object.keys(data.aliases ?? {})]))
  }
  return sets
}

/** Everything a slide of the deck rooted at `root` can refer to, read from disk. */
export function discoverDeckAssets(root: string, theme = '@slidev/theme-default'): DeckAssets {
  const client = packageDir('@slidev/client', root)
  const themeDir = packageDir(theme, root)
  const components = new Set([
    ...VUE_BUILTINS,
    ...componentNamesIn(join(root, 'components')),
    ...(client ? componentNamesIn(join(client, 'builtin')) : []),
    ...(themeDir ? componentNamesIn(join(themeDir, 'components')) : []),
  ])
  return {
    exists: existsSync,
    components,
    iconSets: installedIconSets(root),
  }
}
