import { readFile } from 'node:fs/promises'
import { execa } from 'execa'

// What the hands-on needs on the machine, one check per prerequisite, each shared by the live
// check and `npm run stage` (which print `missing: <message>` and stop) and `npm run preflight`
// (which prints an ok/FAIL line, then the fix). Versions are compared with snippets/versions.env.

export interface ProbeResult {
  exitCode: number
  stdout: string
  stderr: string
}

export interface Probe {
  run: (command: string, args: string[]) => Promise<ProbeResult | undefined>
  readNumber: (path: string) => Promise<number | undefined>
}

/** What one check found. Exactly one of `found`, `problem` and `skipped` is set. */
export interface Prerequisite {
  /** The tool or setting the messages name: docker, kind, kubectl, linkerd, jq, fs.inotify.max_user_watches. */
  name: string
  /** When it is met: what was found (a version, a value). */
  found?: string
  /** When it is not met. */
  problem?: {
    /** What is wrong, e.g. `version 0.29.0 found, the snippets pin v0.31.0`. */
    what: string
    /** How to fix it, one line per command or instruction. */
    fix: string[]
    /** The one-line message the live check and stage print after `missing: `. */
    message: string
  }
  /** When it could not be checked here, and why (e.g. no /proc/sys: not Linux). */
  skipped?: string
}

/** kind's known-issues page: the inotify limits that let several clusters run side by side. */
export const INOTIFY_MINIMUMS = {
  '/proc/sys/fs/inotify/max_user_watches': 524288,
  '/proc/sys/fs/inotify/max_user_instances': 512,
} as const

export const KIND_INSTALL_URL = 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation'

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
      return Number.isFinite(value) ? value : undefined
    }
    catch {
      return undefined
    }
  },
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? ''
}

function met(name: string, found: string): Prerequisite {
  return { name, found }
}

function unmet(name: string, what: string, fix: string[], message: string): Prerequisite {
  return {
    name,
    problem: { what, fix, message },
  }
}

/** The minor version of a Kubernetes version string (`v1.35.0`, `v1.32.4-dispatcher`), if it has one. */
export function kubernetesMinor(version: string): number | undefined {
  const match = /^v?1\.(\d+)\./.exec(version)
  return match ? Number(match[1]) : undefined
}

/**
 * Kubernetes' version skew policy: kubectl is supported within one minor version (older or
 * newer) of kube-apiserver (kubernetes.io/releases/version-skew-policy/#kubectl). The cluster's
 * apiserver is the pinned node image's Kubernetes version.
 */
export function kubectlWithinSkew(client: string, server: string): boolean {
  const clientMinor = kubernetesMinor(client)
  const serverMinor = kubernetesMinor(server)
  return clientMinor !== undefined && serverMinor !== undefined && Math.abs(clientMinor - serverMinor) <= 1
}

/** The kubectl minors the policy allows against `server`, e.g. `v1.34 to v1.36`. */
export function kubectlSkewRange(server: string): string {
  const minor = kubernetesMinor(server)
  return minor === undefined ? server : `v1.${minor - 1} to v1.${minor + 1}`
}

export async function dockerPrerequisite(probe: Probe): Promise<Prerequisite> {
  const docker = await probe.run('docker', ['info', '--format', '{{.ServerVersion}}'])
  if (!docker) {
    return unmet('docker', 'not on PATH', [
      'kind runs its nodes as Docker containers: install Docker Engine (Linux) or Docker Desktop: https://docs.docker.com/get-started/get-docker/',
    ], 'docker: not on PATH. kind runs its nodes as Docker containers: install Docker (or Docker Desktop).')
  }
  // Docker CLIs before 28.1 exit 0 with an empty line when --format is given and the engine is
  // unreachable (docker/cli 353230d978), so the output counts as much as the status.
  if (docker.exitCode !== 0 || docker.stdout.trim() === '') {
    const what = `the Docker engine is not reachable (docker info: ${firstLine(docker.stderr || docker.stdout)})`
    return unmet('docker', what, [
      'Start it (Docker Desktop: open the app; Linux: sudo systemctl start docker),',
      'or check your permission to use it (Linux: sudo usermod -aG docker "$USER", then log in again).',
    ], `docker: ${what}. Start it, or check your permission to use it.`)
  }
  return met('docker', `engine ${docker.stdout.trim()}`)
}

export async function kindPrerequisite(probe: Probe, pins: Readonly<Record<string, string>>): Promise<Prerequisite> {
  const fix = [`Install kind ${pins.KIND_VERSION}: ${KIND_INSTALL_URL} (e.g. go install sigs.k8s.io/kind@${pins.KIND_VERSION}).`]
  const kind = await probe.run('kind', ['version', '-q'])
  if (!kind)
    return unmet('kind', 'not on PATH', fix, `kind: not on PATH. Install kind ${pins.KIND_VERSION} (${KIND_INSTALL_URL}).`)
  // `kind version -q` prints the bare semver (0.31.0); the pin is the release tag (v0.31.0).
  const found = kind.stdout.trim()
  if (found.replace(/^v/, '') !== pins.KIND_VERSION?.replace(/^v/, '')) {
    const what = `version ${found || '(unknown)'} found, the snippets pin ${pins.KIND_VERSION} (snippets/versions.env KIND_VERSION)`
    return unmet('kind', what, fix, `kind: ${what}.`)
  }
  return met('kind', found)
}

export async function kubectlPrerequisite(probe: Probe, pins: Readonly<Record<string, string>>): Promise<Prerequisite> {
  const server = pins.KUBERNETES_VERSION ?? ''
  const fix = [`Install a kubectl from ${kubectlSkewRange(server)} (the cluster runs Kubernetes ${server}): https://kubernetes.io/docs/tasks/tools/`]
  const kubectl = await probe.run('kubectl', ['version', '--client', '-o', 'json'])
  if (!kubectl)
    return unmet('kubectl', 'not on PATH', fix, `kubectl: not on PATH. Install a kubectl within one minor version of ${server}.`)
  let found = ''
  try {
    found = (JSON.parse(kubectl.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? ''
  }
  catch {}
  if (!kubectlWithinSkew(found, server)) {
    const what = `version ${found || '(unknown)'} found; Kubernetes supports a kubectl within one minor version of the cluster, ${server}`
    return unmet('kubectl', what, fix, `kubectl: ${what}.`)
  }
  return met('kubectl', `${found} (within one minor version of ${server})`)
}

export async function linkerdPrerequisite(probe: Probe, pins: Readonly<Record<string, string>>): Promise<Prerequisite> {
  const fix = [
    `(set -a; . snippets/versions.env; bash snippets/setup/01-install-cli.sh)   # ${pins.LINKERD_VERSION}, digest-checked; needs curl and jq`,
    'export PATH="$HOME/.linkerd2/bin:$PATH"   # and add that line to your shell\'s profile',
  ]
  const linkerd = await probe.run('linkerd', ['version', '--client', '--short'])
  if (!linkerd)
    return unmet('linkerd', 'not on PATH', fix, `linkerd: not on PATH. Run snippets/setup/01-install-cli.sh (it installs ${pins.LINKERD_VERSION}, digest-checked) and put ~/.linkerd2/bin on PATH.`)
  const found = linkerd.stdout.trim()
  if (found !== pins.LINKERD_VERSION) {
    const what = `CLI version ${found || '(unknown)'} found, the snippets pin ${pins.LINKERD_VERSION}`
    return unmet('linkerd', what, fix, `linkerd: ${what}: run snippets/setup/01-install-cli.sh.`)
  }
  return met('linkerd', found)
}

export async function jqPrerequisite(probe: Probe): Promise<Prerequisite> {
  const jq = await probe.run('jq', ['--version'])
  if (!jq) {
    return unmet('jq', 'not on PATH', [
      'Install jq (macOS: brew install jq; Debian/Ubuntu: sudo apt-get install jq; others: https://jqlang.org/download/).',
    ], 'jq: not on PATH. Several steps filter JSON with it: install jq.')
  }
  return met('jq', jq.stdout.trim() || 'found')
}

/**
 * The inotify limits `clusters` kind clusters running at once need (kind's known issues, "Pod
 * errors due to too many open files"). Skipped where /proc/sys has no such file (not Linux).
 */
export async function inotifyPrerequisites(probe: Probe, clusters: number): Promise<Prerequisite[]> {
  const results: Prerequisite[] = []
  for (const [path, minimum] of Object.entries(INOTIFY_MINIMUMS)) {
    const key = path.replace('/proc/sys/', '').replaceAll('/', '.')
    const value = await probe.readNumber(path)
    if (value === undefined) {
      results.push({ name: key, skipped: `${path} not found (not a Linux host: the limits that count are the Docker engine's)` })
    }
    else if (value < minimum) {
      results.push(unmet(key, `${value}; ${clusters} kind clusters at once need at least ${minimum} (kind's known issues: "too many open files")`, [
        `sudo sysctl ${key}=${minimum}`,
        `To keep it after a reboot: echo '${key} = ${minimum}' | sudo tee -a /etc/sysctl.conf`,
      ], `${key} is ${value}; ${clusters} kind clusters at once need at least ${minimum} (kind's known issues: "too many open files"). Run: sudo sysctl ${key}=${minimum}, or use --parallel 1.`))
    }
    else {
      results.push(met(key, `${value} (at least ${minimum})`))
    }
  }
  return results
}

/** Every prerequisite of running `parallel` clusters at once, in the order they are reported. */
export async function prerequisites(probe: Probe, pins: Readonly<Record<string, string>>, parallel: number): Promise<Prerequisite[]> {
  return [
    await dockerPrerequisite(probe),
    await kindPrerequisite(probe, pins),
    await kubectlPrerequisite(probe, pins),
    await linkerdPrerequisite(probe, pins),
    await jqPrerequisite(probe),
    ...(parallel > 1 ? await inotifyPrerequisites(probe, parallel) : []),
  ]
}

/** The live check's and stage's view: one message per unmet prerequisite. */
export async function prerequisiteProblems(probe: Probe, pins: Readonly<Record<string, string>>, parallel: number): Promise<string[]> {
  return (await prerequisites(probe, pins, parallel)).flatMap(p => p.problem ? [p.problem.message] : [])
}
