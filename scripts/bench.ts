import type { BenchResult } from './bench/result'
import { createRequire } from 'node:module'
import { cpus, platform, release, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { execa } from 'execa'
import { SlideNeverPaintedError } from './bench/browser'
import { DeckBuildError } from './bench/build'
import { DeckExportError } from './bench/export'
import { measureDeck } from './bench/measure'
import { renderTable } from './bench/report'
import { findStarter, prepareStarter, StarterNotFoundError } from './bench/starter'
import { ChromiumNotFoundError, findLocalChromium } from './core/chromium'
import { CliError, parseCommandLine, runCli } from './core/cli'
import { writeFileAtomically } from './core/files'

const USAGE = 'usage: npm run bench [-- --entry slides.md --output .bench/result.json --build-runs N --first-slide-runs N --navigation-runs N --export-runs N]'

const { values } = parseCommandLine({
  options: {
    'entry': { type: 'string', default: 'slides.md' },
    'output': { type: 'string', default: '.bench/result.json' },
    'build-runs': { type: 'string', default: '2' },
    'first-slide-runs': { type: 'string', default: '7' },
    'navigation-runs': { type: 'string', default: '3' },
    'export-runs': { type: 'string', default: '2' },
  },
}, USAGE)

function count(option: keyof typeof values): number {
  const value = Number(values[option])
  if (!Number.isInteger(value) || value < 1)
    throw new CliError(`--${option} must be a whole number of runs, 1 or more (got ${values[option]})`)
  return value
}

async function main(): Promise<number> {
  const runs = {
    build: count('build-runs'),
    firstSlide: count('first-slide-runs'),
    navigation: count('navigation-runs'),
    export: count('export-runs'),
  }
  const projectRoot = resolve(import.meta.dirname, '..')
  const benchDir = join(projectRoot, '.bench')
  const log = (line: string): void => console.log(line)
  const chromium = await findLocalChromium()
  const slidevVersion = (createRequire(import.meta.url)('@slidev/cli/package.json') as { version: string }).version
  const template = await findStarter({
    env: process.env,
    slidevVersion,
    cacheDir: join(benchDir, 'cache'),
  })
  log(`starter: create-slidev ${template.version} (${template.dir})`)
  const starter = await prepareStarter(template, join(benchDir, 'starter'))
  for (const change of starter.changes)
    log(`  starter, changed to run offline: ${change}`)
  const measure = (name: string, entry: string) => measureDeck({
    name,
    entry,
    chromiumPath: chromium.path,
    outDir: join(benchDir, 'dist'),
    runs,
    log,
  })
  const deck = await measure('deck', resolve(values.entry))
  const starterMeasured = await measure('starter', starter.entry)
  const cpuList = cpus()
  const result: BenchResult = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpuList[0]?.model ?? 'unknown',
      cores: cpuList.length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      os: `${platform()} ${release()}`,
      node: process.version,
      chromium: (await execa(chromium.path, ['--version'])).stdout.trim(),
    },
    slidev: slidevVersion,
    starterVersion: template.version,
    starterChanges: starter.changes,
    runs,
    deck,
    starter: starterMeasured,
  }
  const output = resolve(values.output)
  writeFileAtomically(output, `${JSON.stringify(result, null, 2)}\n`)
  console.log(`\n${result.machine.cpus}, ${result.machine.cores} cores, ${result.machine.memoryGiB} GiB, ${result.machine.os}; ${result.machine.chromium}; Slidev ${slidevVersion}, starter from create-slidev ${template.version}; ${result.date}`)
  console.log(renderTable(result))
  for (const m of [deck, starterMeasured]) {
    if (m.offlineRequests.length)
      console.log(`${m.name}: requests refused (offline): ${m.offlineRequests.join(', ')}`)
  }
  console.log(`\nwrote ${output}`)
  return 0
}

// Each of these stops the bench with its message and status 1; nothing is written.
const benchFailures = [StarterNotFoundError, DeckBuildError, SlideNeverPaintedError, DeckExportError, ChromiumNotFoundError].map(type => [type, 1] as const)

await runCli(main, benchFailures)
