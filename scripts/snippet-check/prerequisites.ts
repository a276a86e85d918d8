import { readFile } from 'node:fs/promises'
import { execa } from 'execa'

// What the live check needs before it creates anything, each missing piece with one message
// that says how to fix it. Versions are compared with snippets/versions.env.

export interface ProbeResult {
  exitCode: number
  stdout: string
  stderr: string
}

export interface Probe {
  run: (command: string, args: string[]) => Promise<ProbeResult | undefined>
  readNumber: (path: string) => Promise<number | undefined>
}

/** kind's known-issues page: the inotify limits that let several clusters run side by side. */
export const INOTIFY_MINIMUMS = {
  '/proc/sys/fs/inotify/max_user_watches': 524288,
  '/proc/sys/fs/inotify/max_user_instances': 512,
} as const

export const systemProbe: Probe = {
  async run(command, args) {
    try {
      const result = await execa(command, args, { reject: false, timeout: 30_000 })
      if ((result as { code?: string }).code === 'ENOENT' || (result.failed && result.exitCode === undefined))
        return undefined
      return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr }
    }
    catch {
      return undefined
    }
  },
  async readNumber(path) {
    try {
      const value = Number((await readFile(path, 'utf8')).trim())
      return Number.isFinite(value)
        ? value
        : undefined
    }
    catch {
      return undefined
    }
  },
}

function minorOf(version: string): number | undefined {
  const match = /^v?1\.(\d+)\./.exec(version)
  return match
    ? Number(match[1])
    : undefined
}

export async function prerequisiteProblems(probe: Probe, pins: Readonly<Record<string, string>>, parallel: number): Promise<string[]> {
  const problems: string[] = []

  const docker = await probe.run('docker', ['info', '--format', '{{.ServerVersion}}'])
  if (!docker)
    problems.push('docker: not on PATH. kind runs its nodes as Docker containers: install Docker (or Docker Desktop).')
  // Docker CLIs before 28.1 exit 0 with an empty line when --format is given and the engine is
  // unreachable (docker/cli 353230d978), so the output counts as much as the status.
  else if (docker.exitCode !== 0 || docker.stdout.trim() === '')
    problems.push(`docker: the Docker engine is not reachable (docker info: ${(docker.stderr || docker.stdout).trim().split('\n')[0]}). Start it, or check your permission to use it.`)

  const kind = await probe.run('kind', ['version', '-q'])
  if (!kind)
    problems.push(`kind: not on PATH. Install kind ${pins.KIND_VERSION} (https://kind.sigs.k8s.io/docs/user/quick-start/#installation).`)
  // `kind version -q` prints the bare semver (0.31.0); the pin is the release tag (v0.31.0).
  else if (kind.stdout.trim().replace(/^v/, '') !== pins.KIND_VERSION?.replace(/^v/, ''))
    problems.push(`kind: version ${kind.stdout.trim() || '(unknown)'} found, the snippets pin ${pins.KIND_VERSION} (snippets/versions.env KIND_VERSION).`)

  const kubectl = await probe.run('kubectl', ['version', '--client', '-o', 'json'])
  const wantedMinor = minorOf(pins.KUBERNETES_VERSION ?? '')
  if (!kubectl) {
    problems.push(`kubectl: not on PATH. Install a kubectl within one minor version of ${pins.KUBERNETES_VERSION}.`)
  }
  else {
    let found = ''
    try {
      found = (JSON.parse(kubectl.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? ''
    }
    catch {}
    const minor = minorOf(found)
    if (minor === undefined || wantedMinor === undefined || Math.abs(minor - wantedMinor) > 1)
      problems.push(`kubectl: version ${found || '(unknown)'} found; Kubernetes supports a kubectl within one minor version of the cluster, ${pins.KUBERNETES_VERSION}.`)
  }

  const linkerd = await probe.run('linkerd', ['version', '--client', '--short'])
  if (!linkerd)
    problems.push(`linkerd: not on PATH. Run snippets/setup/01-install-cli.sh (it installs ${pins.LINKERD_VERSION}, digest-checked) and put ~/.linkerd2/bin on PATH.`)
  else if (linkerd.stdout.trim() !== pins.LINKERD_VERSION)
    problems.push(`linkerd: CLI version ${linkerd.stdout.trim() || '(unknown)'} found, the snippets pin ${pins.LINKERD_VERSION}: run snippets/setup/01-install-cli.sh.`)

  if (!await probe.run('jq', ['--version']))
    problems.push('jq: not on PATH. Several steps filter JSON with it: install jq.')

  if (parallel > 1) {
    for (const [path, minimum] of Object.entries(INOTIFY_MINIMUMS)) {
      const value = await probe.readNumber(path)
      if (value !== undefined && value < minimum) {
        const key = path.replace('/proc/sys/', '').replaceAll('/', '.')
        problems.push(`${key} is ${value}; ${parallel} kind clusters at once need at least ${minimum} (kind's known issues: "too many open files"). Run: sudo sysctl ${key}=${minimum}, or use --parallel 1.`)
      }
    }
  }
  return problems
}
