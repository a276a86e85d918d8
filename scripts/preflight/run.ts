import type { Probe } from '../snippet-check/prerequisites'
import type { Scenario } from '../snippet-check/scenarios'
import type { Check, DiskSpace, DockerInfo } from './checks'
import type { PullResult } from './images'
import { existsSync } from 'node:fs'
import { statfs } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { toolEnv } from '../snippet-check/live-check'
import { dockerPrerequisite, inotifyPrerequisites, jqPrerequisite, kindPrerequisite, kubectlPrerequisite, linkerdPrerequisite, systemProbe } from '../snippet-check/prerequisites'
import { kindClusters } from '../talk/stage-tools'
import { diskCheck, diskNeeded, engineChecks, existingClustersCheck, fromPrerequisite, isDockerDesktop, parseDockerInfo } from './checks'
import { imageSize, pinnedImages, pullImages, pullSummary } from './images'
import { checkLines, pullLines, summaryLine } from './render'

// `npm run preflight [-- --pull]`: reads the machine and prints what render.ts formats. Exit
// status: 0 nothing blocks the hands-on (warnings allowed), 1 a check failed or an image could
// not be pulled, 2 bad usage or input, 130/143 interrupted.

export const PREFLIGHT_USAGE = 'usage: preflight [--pull] [--root DIR]'

export function parsePreflightArgs(argv: string[], cwd: string): { pull: boolean, root: string, help: boolean } | { error: string } {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        pull: { type: 'boolean', default: false },
        root: { type: 'string', default: cwd },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    })
    return {
      pull: values.pull,
      root: resolve(cwd, values.root),
      help: values.help,
    }
  }
  catch (error) {
    return { error: `${(error as Error).message}\n${PREFLIGHT_USAGE}` }
  }
}

/** What preflight reads of the machine besides the tools on PATH; tests replace it. */
export interface Host {
  /** Free bytes for an unprivileged user on the filesystem holding `path`; undefined if it can't be read. */
  freeBytes: (path: string) => Promise<number | undefined>
  /** Whether a file exists (the Linkerd CLI in ~/.linkerd2/bin). */
  exists: (path: string) => boolean
}

export const systemHost: Host = {
  async freeBytes(path) {
    try {
      const stats = await statfs(path)
      return Number(stats.bavail) * Number(stats.bsize)
    }
    catch {
      return undefined
    }
  },
  exists: existsSync,
}

/**
 * The shared probe, with /proc read from `procRoot` instead (PREFLIGHT_PROC_ROOT: tests point it at
 * a directory holding sys/fs/inotify/*).
 */
export function probeWithProcRoot(procRoot: string | undefined, probe: Probe = systemProbe): Probe {
  if (!procRoot)
    return probe
  return {
    run: probe.run,
    readNumber: path => probe.readNumber(join(procRoot, relative('/proc', path))),
  }
}

export interface PreflightOptions {
  root: string
  pins: Record<string, string>
  scenarios: readonly Scenario[]
  pull: boolean
  /** The caller's environment (process.env); tools run with its PATH, HOME and Docker settings. */
  env: NodeJS.ProcessEnv
  cwd: string
  log: (line: string) => void
  probe?: Probe
  host?: Host
  signal?: AbortSignal
  /** Called before each image that has to be pulled (a progress line on a terminal). */
  onPull?: (image: string) => void
}

/** The kind clusters the hands-on creates, from the scenarios that run live. */
export function talkClusterNames(scenarios: readonly Scenario[]): string[] {
  return [...new Set(scenarios.filter(s => s.live && s.cluster).map(s => s.cluster!))]
}

async function dockerInfo(probe: Probe): Promise<DockerInfo | undefined> {
  const result = await probe.run('docker', ['info', '--format', '{{json .}}'])
  return result && result.exitCode === 0 ? parseDockerInfo(result.stdout) : undefined
}

/**
 * Where the engine's images and volumes land: containerd's root with Docker's containerd image
 * store (Docker's docs: it "uses a separate storage path from the Docker data directory"),
 * otherwise Docker's data root; the working directory when neither is on this machine.
 */
async function dockerDiskSpace(info: DockerInfo, env: NodeJS.ProcessEnv, cwd: string, host: Host): Promise<DiskSpace | undefined> {
  const remote = !!env.DOCKER_HOST && !env.DOCKER_HOST.startsWith('unix://')
  if (!isDockerDesktop(info) && !remote) {
    const candidates = [
      ...(info.containerdImageStore
        ? [{ path: '/var/lib/containerd', what: 'containerd\'s root: Docker keeps images in containerd' }]
        : []),
      ...(info.dockerRootDir ? [{ path: info.dockerRootDir, what: 'Docker\'s data root' }] : []),
    ]
    for (const candidate of candidates) {
      if (!host.exists(candidate.path))
        continue
      const free = await host.freeBytes(candidate.path)
      if (free !== undefined)
        return { ...candidate, free }
    }
  }
  const free = await host.freeBytes(cwd)
  if (free === undefined)
    return undefined
  return {
    path: cwd,
    what: 'the working directory',
    free,
    note: isDockerDesktop(info)
      ? 'Docker Desktop keeps images and clusters in its own virtual disk, so its limit applies too: Settings → Resources → Advanced → Disk usage limit'
      : `Docker's data root (${info.dockerRootDir || 'unknown'}) is not on this machine, so this measures the working directory's disk instead`,
  }
}

/** The checks, in the order they print. `info` is undefined when the engine was not reached. */
async function runChecks(options: PreflightOptions, probe: Probe, host: Host, clusters: string[]): Promise<{ checks: Check[], info?: DockerInfo }> {
  const checks: Check[] = []
  const docker = await dockerPrerequisite(probe)
  checks.push(fromPrerequisite(docker))
  const info = docker.problem ? undefined : await dockerInfo(probe)
  if (info) {
    checks[0]!.detail = `engine ${info.serverVersion} reachable (${info.operatingSystem || 'unknown OS'}, ${info.osType || '?'}/${info.architecture || '?'})`
    checks.push(...engineChecks(info))
  }
  else if (!docker.problem) {
    checks.push({ status: 'skip', name: 'docker resources', detail: 'docker info --format \'{{json .}}\' gave nothing readable' })
  }
  else {
    checks.push({ status: 'skip', name: 'docker resources', detail: 'CPUs, memory and cgroups need the engine' })
  }

  const kind = await kindPrerequisite(probe, options.pins)
  checks.push(fromPrerequisite(kind))
  checks.push(fromPrerequisite(await kubectlPrerequisite(probe, options.pins)))

  const linkerd = fromPrerequisite(await linkerdPrerequisite(probe, options.pins))
  const installed = join(options.env.HOME ?? '', '.linkerd2', 'bin', 'linkerd')
  if (linkerd.status === 'FAIL' && linkerd.detail === 'not on PATH' && host.exists(installed)) {
    linkerd.detail = `not on PATH, but ${installed} exists`
    linkerd.fix = ['export PATH="$HOME/.linkerd2/bin:$PATH"   # and add that line to your shell\'s profile']
  }
  checks.push(linkerd)
  checks.push(fromPrerequisite(await jqPrerequisite(probe)))
  checks.push(...(await inotifyPrerequisites(probe, clusters.length)).map(fromPrerequisite))

  if (kind.problem?.what === 'not on PATH') {
    checks.push({ status: 'skip', name: 'kind clusters', detail: 'needs kind' })
  }
  else {
    let existing: Set<string> | Error
    try {
      existing = await kindClusters(options.env)
    }
    catch (error) {
      existing = error as Error
    }
    checks.push(existingClustersCheck(existing, clusters))
  }
  return {
    checks,
    ...(info ? { info } : {}),
  }
}

export async function runPreflight(options: PreflightOptions): Promise<number> {
  const probe = options.probe ?? probeWithProcRoot(options.env.PREFLIGHT_PROC_ROOT)
  const host = options.host ?? systemHost
  const env = toolEnv(options.env)
  const clusters = talkClusterNames(options.scenarios)
  const { images, unknown } = pinnedImages(options.pins)
  const { log } = options

  log(`Preflight for the hands-on: kind ${options.pins.KIND_VERSION}, Kubernetes ${options.pins.KUBERNETES_VERSION}, Linkerd ${options.pins.LINKERD_VERSION}; ${clusters.length} kind clusters at once (${clusters.join(', ')})`)
  const { checks, info } = await runChecks(options, probe, host, clusters)

  const presence = info
    ? await Promise.all(images.map(async i => ({ image: i.image, node: i.node, present: await imageSize(i.image, env) !== undefined })))
    : []
  if (info) {
    const space = await dockerDiskSpace(info, options.env, options.cwd, host)
    checks.push(diskCheck(space, diskNeeded(presence, clusters.length)))
  }
  else {
    checks.push({ status: 'skip', name: 'disk', detail: 'where Docker keeps its data needs the engine' })
  }
  for (const check of checks) {
    for (const line of checkLines(check))
      log(line)
  }

  let pulls: PullResult[] = []
  if (options.pull) {
    log('')
    const blocked = !info
      ? 'the Docker engine is not reachable'
      : checks.some(c => c.name === 'disk' && c.status === 'FAIL') ? 'not enough free disk' : undefined
    if (blocked) {
      log(`--pull: not pulling: ${blocked} (see above).`)
    }
    else {
      const missing = presence.filter(p => !p.present).length
      log(`--pull: ${images.length} pinned images, ${missing} to pull (images already in Docker are not pulled again):`)
      pulls = await pullImages(images, {
        env,
        ...(options.signal ? { signal: options.signal } : {}),
        onPull: image => options.onPull?.(image.image),
      })
      for (const result of pulls) {
        for (const line of pullLines(result))
          log(line)
      }
      for (const image of unknown)
        log(`${'skip'.padEnd(8)}${image}`)
      log(pullSummary(pulls))
      if (pulls.some(p => p.status === 'interrupted'))
        return 1
      const others = images.filter(i => !i.node).map(i => i.image)
      log('kind create cluster takes the node image from Docker; the other images reach a cluster only through kind load')
      log(`(npm run stage does it for you). After creating each cluster: kind load docker-image --name <cluster> ${others.join(' ')}`)
    }
  }
  log('')
  log(summaryLine(checks, pulls))
  const failed = checks.some(c => c.status === 'FAIL') || pulls.some(p => p.status === 'failed')
  return failed ? 1 : 0
}
