import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'

/** Points the bench at a create-slidev `template/` folder instead of fetching one with npm. */
export const STARTER_ENV_VAR = 'BENCH_STARTER'

export class StarterNotFoundError extends Error {}

export interface StarterTemplate {
  /** The folder holding the starter's slides.md. */
  dir: string
  /** create-slidev's version, or 'local' for a BENCH_STARTER folder. */
  version: string
}

/** Fetches `spec` (e.g. create-slidev@53.0.0) into `destination`, returns the tarball's path. */
export type Packer = (spec: string, destination: string) => Promise<string>

export const npmPack: Packer = async (spec, destination) => {
  const { stdout } = await execa('npm', ['pack', spec, '--silent', '--pack-destination', destination], {
    env: { FORCE_COLOR: '0' },
  })
  const file = stdout.trim().split('\n').pop()
  if (!file)
    throw new Error(`npm pack ${spec} printed no file name`)
  return join(destination, file)
}

/** The version matching the installed Slidev first, then the newest published. */
export function starterSpecs(slidevVersion: string): string[] {
  return [`create-slidev@${slidevVersion}`, 'create-slidev@latest']
}

/**
 * The starter deck create-slidev ships: the folder named by BENCH_STARTER, or the template of
 * the create-slidev release matching the installed Slidev (else the newest), fetched with npm
 * and kept in `cacheDir`.
 */
export async function findStarter(options: {
  env: Record<string, string | undefined>
  slidevVersion: string
  cacheDir: string
  pack?: Packer
}): Promise<StarterTemplate> {
  const fromEnv = options.env[STARTER_ENV_VAR]
  if (fromEnv) {
    if (!existsSync(join(fromEnv, 'slides.md')))
      throw new StarterNotFoundError(`${STARTER_ENV_VAR} is set to ${fromEnv}, but there is no slides.md there. Point it at create-slidev's template/ folder, or unset it to fetch the starter with npm.`)
    return { dir: fromEnv, version: 'local' }
  }
  const pack = options.pack ?? npmPack
  const failures: string[] = []
  for (const spec of starterSpecs(options.slidevVersion)) {
    const cached = join(options.cacheDir, spec.replace('@', '-'))
    if (existsSync(join(cached, 'template', 'slides.md'))) {
      return {
        dir: join(cached, 'template'),
        version: await packageVersion(cached),
      }
    }
    const scratch = await mkdtemp(join(tmpdir(), 'bench-starter-'))
    try {
      const tarball = await pack(spec, scratch)
      await execa('tar', ['xzf', tarball, '-C', scratch])
      if (!existsSync(join(scratch, 'package', 'template', 'slides.md'))) {
        failures.push(`${spec}: the package has no template/slides.md`)
        continue
      }
      await rm(cached, { recursive: true, force: true })
      await mkdir(options.cacheDir, { recursive: true })
      await cp(join(scratch, 'package'), cached, { recursive: true })
      return {
        dir: join(cached, 'template'),
        version: await packageVersion(cached),
      }
    }
    catch (error) {
      failures.push(`${spec}: ${firstLine(error)}`)
    }
    finally {
      await rm(scratch, { recursive: true, force: true })
    }
  }
  throw new StarterNotFoundError([
    'The Slidev starter deck could not be found, so there is nothing to measure this deck against.',
    ...failures.map(failure => `  - ${failure}`),
    `Fix: make the npm registry reachable, or set ${STARTER_ENV_VAR} to the template/ folder of an unpacked create-slidev package.`,
  ].join('\n'))
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n').find(line => line.trim()) ?? message
}

async function packageVersion(dir: string): Promise<string> {
  const meta = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version?: string }
  return meta.version ?? 'unknown'
}

export interface OfflineStarter {
  slides: string
  /** Local stand-ins to write into the deck's public/ folder, by file name. */
  assets: Map<string, string>
  /** What was changed, for the bench's report. */
  changes: string[]
}

const REMOTE_ASSET = /https?:\/\/[^\s"'`)]+/g
const ASSET_SETTING = /^(background|image):\s*(https?:\/\/\S+)\s*$/

/** A stand-in picture of the given size, so the layout around it stays the same. */
function standIn(label: string, width: number, height: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`
    + `<defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="#2b3a55"/><stop offset="1" stop-color="#ce7777"/></linearGradient></defs>`
    + `<rect width="100%" height="100%" fill="url(#g)"/>`
    + `<text x="50%" y="50%" fill="#fff" font-family="sans-serif" font-size="${Math.round(height / 10)}" text-anchor="middle">${label}</text></svg>`
}

function localName(url: string): string {
  const slug = url.replace(/^https?:\/\//, '').replace(/\?.*$/, '').replace(/[^\w.-]+/g, '-').replace(/\.(png|jpe?g|gif|webp|svg)$/, '')
  return `bench-${slug}.svg`
}

/**
 * The starter, made to run offline: remote pictures (the Unsplash cover, sli.dev logos, theme
 * screenshots) point at local stand-ins, embeds that only load from the internet (tweets, the
 * PlantUML server's diagram) are left out, and web fonts are not requested. Code blocks are left
 * as they are: their text is shown, never loaded. Throws when anything remote is left that would
 * load, so a new starter template fails here rather than measuring a network timeout.
 */
export function offlineStarter(source: string): OfflineStarter {
  const assets = new Map<string, string>()
  const changes: string[] = []
  const localise = (url: string, width: number, height: number): string => {
    const name = localName(url)
    assets.set(name, standIn(name.replace(/^bench-|\.svg$/g, ''), width, height))
    return `/${name}`
  }
  const out: string[] = []
  let fence: string | undefined
  let dropping = false
  let frontmatterDashes = 0
  for (const line of source.split('\n')) {
    if (frontmatterDashes < 2 && line === '---') {
      frontmatterDashes++
      out.push(line)
      if (frontmatterDashes === 1)
        out.push('fonts:', '  provider: none')
      continue
    }
    const fenceMark = line.match(/^\s*(`{3,})(\w*)/)
    if (!fence && fenceMark) {
      fence = fenceMark[1]
      if (fenceMark[2] === 'plantuml') {
        dropping = true
        changes.push('left out the PlantUML diagram (it is drawn by the remote plantuml.com server)')
        continue
      }
      out.push(line)
      continue
    }
    if (fence) {
      if (line.trim() === fence) {
        fence = undefined
        if (dropping) {
          dropping = false
          continue
        }
      }
      if (!dropping)
        out.push(line)
      continue
    }
    const setting = line.match(ASSET_SETTING)
    if (setting) {
      out.push(`${setting[1]}: ${localise(setting[2]!, 1920, 1080)}`)
      changes.push(`${setting[1]}: ${setting[2]} -> a local ${1920}x${1080} SVG stand-in`)
      continue
    }
    if (/^\s*<(?:Tweet|Youtube|BlueSky)\b/.test(line)) {
      changes.push(`left out ${line.trim()} (an embed that loads from the internet)`)
      continue
    }
    if (/\bsrc=["']https?:/.test(line) || /^\s*src=["']https?:/.test(line)) {
      const url = line.match(REMOTE_ASSET)![0]
      out.push(line.replace(url, localise(url, 400, 400)))
      changes.push(`${url} -> a local 400x400 SVG stand-in`)
      continue
    }
    out.push(line)
  }
  if (frontmatterDashes > 0)
    changes.push('fonts: provider none (the theme\'s web fonts come from Google Fonts)')
  const slides = out.join('\n')
  const left = remoteLoads(slides)
  if (left.length)
    throw new StarterNotFoundError(`The starter template still loads from the internet after its remote assets were replaced: ${left.join('; ')}. Teach scripts/bench/starter.ts (offlineStarter) to replace these.`)
  return {
    slides,
    assets,
    changes: [...new Set(changes)],
  }
}

/** Lines outside code blocks that would make the browser fetch from another machine. */
export function remoteLoads(slides: string): string[] {
  const found: string[] = []
  let fence: string | undefined
  slides.split('\n').forEach((line, index) => {
    const mark = line.match(/^\s*(`{3,})/)
    if (mark && (!fence || line.trim() === fence)) {
      fence = fence ? undefined : mark[1]
      return
    }
    if (fence)
      return
    if (/\bsrc=["']https?:/.test(line) || ASSET_SETTING.test(line) || /^\s*<(?:Tweet|Youtube|BlueSky)\b/.test(line))
      found.push(`line ${index + 1}: ${line.trim()}`)
  })
  return found
}

/** The theme packages a deck's headmatter asks for that are not Slidev's default theme. */
export function themePackage(slides: string): string | undefined {
  const theme = slides.match(/^theme:\s*(\S+)\s*$/m)?.[1]
  if (!theme || theme === 'default' || theme === 'none' || theme.startsWith('.'))
    return undefined
  return theme.startsWith('@') || theme.startsWith('slidev-theme-') ? theme : `@slidev/theme-${theme}`
}

/**
 * A buildable copy of the starter in `workDir` (inside the project, so that the project's own
 * Slidev, Vue and default theme are the ones it resolves): offline slides, local stand-ins,
 * and its theme installed beside it when it is not the default.
 */
export async function prepareStarter(template: StarterTemplate, workDir: string): Promise<{ entry: string, changes: string[] }> {
  await rm(workDir, { recursive: true, force: true })
  await mkdir(workDir, { recursive: true })
  for (const name of await readdir(template.dir)) {
    if (name !== 'package.json' && name !== 'node_modules')
      await cp(join(template.dir, name), join(workDir, name), { recursive: true })
  }
  const offline = offlineStarter(await readFile(join(template.dir, 'slides.md'), 'utf8'))
  await writeFile(join(workDir, 'slides.md'), offline.slides)
  await mkdir(join(workDir, 'public'), { recursive: true })
  for (const [name, svg] of offline.assets)
    await writeFile(join(workDir, 'public', name), svg)
  await writeFile(join(workDir, 'package.json'), `${JSON.stringify({ name: 'slidev-starter', private: true, type: 'module' }, null, 2)}\n`)
  const theme = themePackage(offline.slides)
  const changes = [...offline.changes, 'built with this project\'s Slidev (its package.json dependencies dropped)']
  if (theme) {
    const install = await execa('npm', [
      'install',
      '--no-save',
      '--no-package-lock',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      theme,
    ], { cwd: workDir, reject: false, all: true })
    if (install.failed)
      throw new StarterNotFoundError(`The starter's theme ${theme} could not be installed (npm install in ${workDir}): ${firstLine(install.all)}`)
    changes.push(`its theme ${theme} installed beside it with npm`)
  }
  return {
    entry: join(workDir, 'slides.md'),
    changes,
  }
}
