// `npm run preflight`: the pure judgements (docker info, the skew policy, the limits, the disk
// estimate, the image list, the output) on their own, then the real CLI against the stand-in
// docker, kind, kubectl and linkerd (test/fixtures/stand-in-bin/), with PREFLIGHT_PROC_ROOT
// standing in for /proc. Every call to the tools lands in $HOME/stand-in.log. The CLI runs on the
// repository's own snippets/versions.env and scenarios. Its disk check measures the sandbox's
// real free space (the stand-in docker's data root is the sandbox), so these tests need the
// 5.5 GiB it asks of a cold machine free in the temporary directory; a short disk is tested in
// process, with the free space injected.
import type { DockerInfo } from '../../scripts/preflight/checks'
import type { Probe } from '../../scripts/snippet-check/prerequisites'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { diskCheck, diskNeeded, engineChecks, existingClustersCheck, fromPrerequisite, parseDockerInfo } from '../../scripts/preflight/checks'
import { decimalSize, DISK_PER_CLUSTER, gib, MIN_MEMORY } from '../../scripts/preflight/figures'
import { pinnedImages, pullSummary } from '../../scripts/preflight/images'
import { checkLines, pullLines, summaryLine } from '../../scripts/preflight/render'
import { parsePreflightArgs, probeWithProcRoot, runPreflight, talkClusterNames } from '../../scripts/preflight/run'
import { inotifyPrerequisites, kubectlSkewRange, kubectlWithinSkew, kubernetesMinor, prerequisiteProblems } from '../../scripts/snippet-check/prerequisites'
import { readScenarios } from '../../scripts/snippet-check/scenarios'
import { readPins } from '../../scripts/snippet-check/static-checks'
import { runScript } from '../run-script'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const standIns = fileURLToPath(new URL('../fixtures/stand-in-bin', import.meta.url))
const pins = readPins(repo)
const GiB = 1024 ** 3
const MiB = 1024 ** 2

function dockerInfo(fields: Partial<DockerInfo> = {}): DockerInfo {
  return {
    serverVersion: '28.3.3',
    cpus: 8,
    memTotal: 16 * GiB,
    operatingSystem: 'Ubuntu 24.04.1 LTS',
    osType: 'linux',
    architecture: 'x86_64',
    cgroupVersion: '2',
    dockerRootDir: '/var/lib/docker',
    containerdImageStore: false,
    ...fields,
  }
}

describe('the kubectl skew policy: within one minor version of the pinned Kubernetes', () => {
  it('reads the minor of release, pre-release and vendor versions', () => {
    expect(kubernetesMinor('v1.35.0')).toBe(35)
    expect(kubernetesMinor('1.34.2')).toBe(34)
    expect(kubernetesMinor('v1.32.4-dispatcher')).toBe(32)
    expect(kubernetesMinor('v1.36.0-rc.1')).toBe(36)
    expect(kubernetesMinor('')).toBeUndefined()
    expect(kubernetesMinor('edge-26.6.3')).toBeUndefined()
  })

  it('allows one minor older or newer, and nothing else', () => {
    expect([
      'v1.33.9',
      'v1.34.0',
      'v1.35.0',
      'v1.35.7',
      'v1.36.1',
      'v1.37.0',
    ].map(v => kubectlWithinSkew(v, 'v1.35.0')))
      .toEqual([false, true, true, true, true, false])
    expect(kubectlWithinSkew('', 'v1.35.0')).toBe(false)
    expect(kubectlWithinSkew('v1.35.0', '')).toBe(false)
    expect(kubectlSkewRange('v1.35.0')).toBe('v1.34 to v1.36')
  })
})

describe('docker info', () => {
  it('reads the fields preflight needs from docker info --format \'{{json .}}\'', () => {
    // Trimmed from a Docker Desktop 4.x engine with the containerd image store.
    const json = JSON.stringify({
      ID: 'abc',
      ServerVersion: '28.3.3',
      NCPU: 6,
      MemTotal: 4108390400,
      OperatingSystem: 'Docker Desktop',
      OSType: 'linux',
      Architecture: 'aarch64',
      CgroupVersion: '2',
      DockerRootDir: '/var/lib/docker',
      DriverStatus: [['driver-type', 'io.containerd.snapshotter.v1']],
    })
    expect(parseDockerInfo(json)).toEqual({
      serverVersion: '28.3.3',
      cpus: 6,
      memTotal: 4108390400,
      operatingSystem: 'Docker Desktop',
      osType: 'linux',
      architecture: 'aarch64',
      cgroupVersion: '2',
      dockerRootDir: '/var/lib/docker',
      containerdImageStore: true,
    })
    expect(parseDockerInfo(JSON.stringify({
      ServerVersion: '27.5.1',
      DriverStatus: [['Backing Filesystem', 'extfs']],
    }))!.containerdImageStore).toBe(false)
  })

  it('takes an unreachable engine (the CLI still prints the document, server fields empty) and garbage as unread', () => {
    expect(parseDockerInfo('{"ID":"","ServerVersion":"","NCPU":0,"MemTotal":0,"DriverStatus":null}')).toBeUndefined()
    expect(parseDockerInfo('')).toBeUndefined()
    expect(parseDockerInfo('27.5.1')).toBeUndefined()
    expect(parseDockerInfo('null')).toBeUndefined()
  })
})

describe('the engine\'s CPUs, memory, cgroups, platform and image store', () => {
  const byName = (info: DockerInfo) => Object.fromEntries(engineChecks(info).map(c => [c.name, c]))

  it('passes a roomy Linux engine on cgroup v2', () => {
    expect(engineChecks(dockerInfo()).map(checkLines).flat()).toEqual([
      'ok    docker CPUs: 8 CPUs (two kind nodes: 2 each)',
      'ok    docker memory: 16.0 GiB (3.3 GiB needed: two kind nodes × 1700 MiB, kubeadm\'s minimum per machine)',
      'ok    docker cgroups: v2',
    ])
  })

  it('fails under 2 CPUs, warns under 4 (both nodes share them), with where to add them', () => {
    expect(checkLines(byName(dockerInfo({ cpus: 1 }))['docker CPUs']!)).toEqual([
      'FAIL  docker CPUs: 1 CPU; a kind node is a kubeadm machine, which needs at least 2',
      '      fix: The Docker engine has what its machine (or VM: Colima, Rancher Desktop, a Linux VM) has: give that machine more CPUs (at least 2, 4 for both clusters at full speed), or use a bigger one.',
    ])
    const two = byName(dockerInfo({ cpus: 2, operatingSystem: 'Docker Desktop' }))['docker CPUs']!
    expect(two.status).toBe('warn')
    expect(two.fix).toEqual(['Docker Desktop: Settings → Resources → Advanced → CPUs (4), then Apply & restart.'])
    expect(byName(dockerInfo({ cpus: 3 }))['docker CPUs']!.status).toBe('warn')
    expect(byName(dockerInfo({ cpus: 4 }))['docker CPUs']!.status).toBe('ok')
  })

  it('holds memory to 2 × kubeadm\'s 1700 MiB, so a "4 GB" Docker Desktop passes and a "2 GB" one does not', () => {
    expect(MIN_MEMORY).toBe(3400 * MiB)
    expect(byName(dockerInfo({ memTotal: 3400 * MiB }))['docker memory']!.status).toBe('ok')
    expect(byName(dockerInfo({ memTotal: 3400 * MiB - 1 }))['docker memory']!.status).toBe('FAIL')
    // What a 4 GB Docker Desktop VM reports: a little under 4 GiB.
    expect(byName(dockerInfo({ memTotal: 4108390400 }))['docker memory']!.status).toBe('ok')
    expect(checkLines(byName(dockerInfo({ memTotal: 2055208960, operatingSystem: 'Docker Desktop' }))['docker memory']!)).toEqual([
      'FAIL  docker memory: 1.9 GiB; 3.3 GiB needed: two kind nodes × 1700 MiB, kubeadm\'s minimum per machine',
      '      fix: Docker Desktop: Settings → Resources → Advanced → memory (4 GB or more), then Apply & restart.',
    ])
  })

  it('fails cgroup v1 (the v1.35 kubelet refuses it) and Windows containers; says nothing of cgroups an engine does not report', () => {
    const v1 = byName(dockerInfo({ cgroupVersion: '1' }))['docker cgroups']!
    expect(v1.status).toBe('FAIL')
    expect(v1.detail).toContain('failCgroupV1')
    expect(v1.fix![0]).toContain('systemd.unified_cgroup_hierarchy=1')
    expect(byName(dockerInfo({ cgroupVersion: '' }))['docker cgroups']).toBeUndefined()
    expect(checkLines(byName(dockerInfo({ osType: 'windows' }))['docker platform']!)).toEqual([
      'FAIL  docker platform: the engine runs windows containers; kind\'s nodes are Linux containers',
      '      fix: Docker Desktop: right-click its tray icon → Switch to Linux containers.',
    ])
  })

  it('warns that kind load may fail with the containerd image store, and how to switch it off', () => {
    const store = byName(dockerInfo({ containerdImageStore: true }))['docker image store']!
    expect(store.status).toBe('warn')
    expect(store.detail).toContain('kubernetes-sigs/kind#3795')
    expect(store.fix).toHaveLength(2)
    expect(byName(dockerInfo())['docker image store']).toBeUndefined()
  })
})

describe('the inotify limits two clusters need (kind\'s known issues)', () => {
  const probe = (values: Record<string, number>): Probe => ({
    run: async () => undefined,
    readNumber: async path => values[path],
  })

  it('fails each limit below kind\'s figure, with the sysctl that fixes it and how to keep it', async () => {
    const results = await inotifyPrerequisites(probe({
      '/proc/sys/fs/inotify/max_user_watches': 8192,
      '/proc/sys/fs/inotify/max_user_instances': 512,
    }), 2)
    expect(results.map(fromPrerequisite).flatMap(checkLines)).toEqual([
      'FAIL  fs.inotify.max_user_watches: 8192; 2 kind clusters at once need at least 524288 (kind\'s known issues: "too many open files")',
      '      fix: sudo sysctl fs.inotify.max_user_watches=524288',
      '           To keep it after a reboot: echo \'fs.inotify.max_user_watches = 524288\' | sudo tee -a /etc/sysctl.conf',
      'ok    fs.inotify.max_user_instances: 512 (at least 512)',
    ])
  })

  it('skips them where /proc/sys has no such file, and the live check says nothing then', async () => {
    const results = await inotifyPrerequisites(probe({}), 2)
    expect(results.map(r => fromPrerequisite(r).status)).toEqual(['skip', 'skip'])
  })

  it('reads them under PREFLIGHT_PROC_ROOT when it is set', async () => {
    const root = mkdtempSync(join(tmpdir(), 'preflight-proc-'))
    mkdirSync(join(root, 'sys', 'fs', 'inotify'), { recursive: true })
    writeFileSync(join(root, 'sys', 'fs', 'inotify', 'max_user_watches'), '1048576\n')
    const mapped = probeWithProcRoot(root)
    expect(await mapped.readNumber('/proc/sys/fs/inotify/max_user_watches')).toBe(1048576)
    expect(await mapped.readNumber('/proc/sys/fs/inotify/max_user_instances')).toBeUndefined()
  })

  it('leaves the live check\'s messages as they were (one line each, after missing:)', async () => {
    const nothing: Probe = {
      run: async () => undefined,
      readNumber: async () => 128,
    }
    const problems = await prerequisiteProblems(nothing, pins, 2)
    expect(problems.at(-1)).toBe('fs.inotify.max_user_instances is 128; 2 kind clusters at once need at least 512 (kind\'s known issues: "too many open files"). Run: sudo sysctl fs.inotify.max_user_instances=512, or use --parallel 1.')
  })
})

describe('free disk, an estimate', () => {
  const cold = [
    { image: 'kindest/node', node: true, present: false },
    ...['a', 'b', 'c', 'd', 'e'].map(image => ({ image, node: false, present: false })),
  ]

  it('asks 2 GiB per cluster, plus 1 GiB for the node image and 0.1 GiB for each other image not pulled yet', () => {
    expect(diskNeeded(cold, 2)).toEqual({
      bytes: 4 * GiB + 1 * GiB + 5 * 0.1 * GiB,
      basis: 'an estimate: 4.0 GiB for 2 clusters, 1.5 GiB for the 6 images not pulled yet',
    })
    expect(diskNeeded(cold.map(i => ({ ...i, present: true })), 2)).toEqual({
      bytes: 2 * DISK_PER_CLUSTER,
      basis: 'an estimate: 4.0 GiB for 2 clusters, every pinned image is pulled already',
    })
  })

  it('fails below it, with how to make room; passes above it; skips when nothing could be measured', () => {
    const needed = diskNeeded(cold, 2)
    expect(checkLines(diskCheck({ path: '/var/lib/docker', what: 'Docker\'s data root', free: 3 * GiB }, needed))).toEqual([
      'FAIL  disk: 3.0 GiB free in /var/lib/docker (Docker\'s data root); about 5.5 GiB needed (an estimate: 4.0 GiB for 2 clusters, 1.5 GiB for the 6 images not pulled yet)',
      '      fix: Free some space: docker system df shows what Docker holds; docker system prune removes stopped containers, unused networks and dangling images.',
    ])
    expect(diskCheck({
      path: '/home/a',
      what: 'the working directory',
      free: 40 * GiB,
      note: 'Docker Desktop keeps images in its own disk',
    }, needed)).toEqual({
      status: 'ok',
      name: 'disk',
      detail: '40.0 GiB free in /home/a (the working directory); about 5.5 GiB needed (an estimate: 4.0 GiB for 2 clusters, 1.5 GiB for the 6 images not pulled yet). Docker Desktop keeps images in its own disk',
    })
    expect(diskCheck(undefined, needed).status).toBe('skip')
  })
})

describe('the talk\'s clusters that exist already', () => {
  const talk = ['startup-init', 'startup-cni']

  it('warns for each, with the command that deletes it; a stranger\'s cluster does not count', () => {
    expect(existingClustersCheck(new Set(['kind']), talk).status).toBe('ok')
    expect(checkLines(existingClustersCheck(new Set(['startup-cni', 'kind']), talk))).toEqual([
      'warn  kind clusters: startup-cni exists already: the step that creates it will fail (fine if you created it for this workshop)',
      '      fix: kind delete cluster --name startup-cni   # to start over',
    ])
    expect(existingClustersCheck(new Set(talk), talk).fix).toHaveLength(2)
    expect(existingClustersCheck(new Error('kind get clusters failed: boom'), talk)).toEqual({ status: 'skip', name: 'kind clusters', detail: 'kind get clusters failed: boom' })
  })

  it('takes the cluster names from the scenarios that run live', () => {
    expect(talkClusterNames(readScenarios(repo))).toEqual(talk)
  })
})

describe('the pinned images', () => {
  it('are the node image, the live check\'s preloaded four, and the CNI plugin at the tag install-cni uses', () => {
    const { images, unknown } = pinnedImages(pins)
    expect(images.map(i => i.image)).toEqual([
      pins.KIND_NODE_IMAGE,
      pins.HTTP_ECHO_IMAGE,
      pins.CURL_IMAGE,
      `cr.l5d.io/linkerd/proxy:${pins.LINKERD_VERSION}`,
      `cr.l5d.io/linkerd/controller:${pins.LINKERD_VERSION}`,
      'cr.l5d.io/linkerd/cni-plugin:v1.6.8',
    ])
    expect(images.map(i => i.node)).toEqual([true, false, false, false, false, false])
    expect(unknown).toEqual([])
  })

  it('pins the CNI plugin with LINKERD_CNI_VERSION, and says so when versions.env has none', () => {
    expect(pinnedImages({ ...pins, LINKERD_CNI_VERSION: 'v1.7.0' }).images.at(-1)!.image).toBe('cr.l5d.io/linkerd/cni-plugin:v1.7.0')
    const { LINKERD_CNI_VERSION: _dropped, ...withoutCni } = pins
    const { images, unknown } = pinnedImages(withoutCni)
    expect(images.some(i => i.image.includes('cni-plugin'))).toBe(false)
    expect(unknown).toEqual(['cr.l5d.io/linkerd/cni-plugin: snippets/versions.env has no LINKERD_CNI_VERSION, so its tag is not known'])
  })
})

describe('the output', () => {
  it('says what was pulled, what was there, what failed, with sizes as docker shows them', () => {
    expect(decimalSize(1_234_567_890)).toBe('1.23 GB')
    expect(decimalSize(52_428_800)).toBe('52.4 MB')
    expect(pullSummary([
      { image: 'a', status: 'pulled', size: 1_000_000_000 },
      { image: 'b', status: 'pulled', size: 50_000_000 },
      { image: 'c', status: 'present', size: 50_000_000 },
      { image: 'd', status: 'failed', error: 'timed out after 300s' },
    ])).toBe('pulled 2 images, 1.05 GB on disk (the download was compressed, so smaller); 1 image already present (50.0 MB), not pulled again; 1 failed.')
    expect(pullSummary([
      { image: 'c', status: 'present', size: 50_000_000 },
    ])).toBe('pulled nothing; 1 image already present (50.0 MB), not pulled again.')
    expect(pullLines({ image: 'd', status: 'failed', error: 'timed out after 300s' })).toEqual([
      'FAIL    d: timed out after 300s',
      '        fix: check the network (a proxy for Docker is set in Docker, not in your shell), then run npm run preflight -- --pull again: what was pulled stays.',
    ])
  })

  it('ends with one line: the counts, and whether the hands-on can run', () => {
    const ok = { status: 'ok', name: 'a', detail: '' } as const
    const warn = { status: 'warn', name: 'b', detail: '' } as const
    const fail = { status: 'FAIL', name: 'c', detail: '' } as const
    const skip = { status: 'skip', name: 'd', detail: '' } as const
    expect(summaryLine([ok, ok])).toBe('preflight: 2 ok: ready for the hands-on.')
    expect(summaryLine([ok, warn, skip])).toBe('preflight: 1 ok, 1 warn, 1 skipped: ready for the hands-on; read the warnings above.')
    expect(summaryLine([ok, fail])).toBe('preflight: 1 ok, 1 FAIL: not ready: fix each FAIL above, then run npm run preflight again.')
    expect(summaryLine([ok], [
      { image: 'x', status: 'failed' },
    ])).toBe('preflight: 1 ok, 1 image not pulled: not ready: fix each FAIL above, then run npm run preflight again.')
  })

  it('takes --pull and --root, and refuses anything else', () => {
    expect(parsePreflightArgs([], '/repo')).toEqual({ pull: false, root: '/repo', help: false })
    expect(parsePreflightArgs(['--pull', '--root', 'sub'], '/repo')).toEqual({ pull: true, root: '/repo/sub', help: false })
    expect(parsePreflightArgs(['--pul'], '/repo')).toHaveProperty('error')
    expect(parsePreflightArgs(['extra'], '/repo')).toHaveProperty('error')
  })
})

// --- The CLI against the stand-ins -------------------------------------------------------------

interface Sandbox {
  home: string
  proc: string
  env: Record<string, string>
  log: () => string[]
  /** Puts an image into the stand-in docker, as if pulled, with its size in bytes. */
  addImage: (image: string, size?: number) => void
}

function sandbox(limits: { watches?: number, instances?: number } = {}): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-test-'))
  const home = join(dir, 'home')
  const proc = join(dir, 'proc')
  mkdirSync(home)
  mkdirSync(join(proc, 'sys', 'fs', 'inotify'), { recursive: true })
  writeFileSync(join(proc, 'sys', 'fs', 'inotify', 'max_user_watches'), `${limits.watches ?? 524288}\n`)
  writeFileSync(join(proc, 'sys', 'fs', 'inotify', 'max_user_instances'), `${limits.instances ?? 512}\n`)
  return {
    home,
    proc,
    env: {
      HOME: home,
      PATH: `${standIns}:${process.env.PATH}`,
      PREFLIGHT_PROC_ROOT: proc,
      NPM_CONFIG_UPDATE_NOTIFIER: 'false',
    },
    log: () => {
      try {
        return readFileSync(join(home, 'stand-in.log'), 'utf8').trim().split('\n')
      }
      catch {
        return []
      }
    },
    addImage: (image, size) => {
      mkdirSync(join(home, 'stand-in-images'), { recursive: true })
      writeFileSync(join(home, 'stand-in-images', image.replaceAll(/[/:@]/g, '_')), size === undefined
        ? ''
        : String(size))
    },
  }
}

/** A PATH of the stand-ins named, the system tools the stand-ins use, and jq unless left out. */
function onlyTools(box: Sandbox, standInTools: string[], options: { jq?: boolean, linkerdInHome?: boolean } = {}): string {
  const bin = join(box.home, '..', 'bin')
  mkdirSync(bin)
  for (const tool of standInTools)
    symlinkSync(join(standIns, tool), join(bin, tool))
  const system = [
    'bash',
    'env',
    'tr',
    'mkdir',
    'touch',
    'cat',
    'cut',
    'sha256sum',
    'ls',
    'awk',
    'mv',
    'rm',
    'od',
    'dirname',
    'sed',
    'grep',
    'head',
    'tail',
    'basename',
    'cmp',
    'cp',
    ...(options.jq === false ? [] : ['jq']),
  ]
  for (const tool of system) {
    for (const dir of ['/usr/bin', '/bin']) {
      try {
        symlinkSync(join(dir, tool), join(bin, tool))
        break
      }
      catch {}
    }
  }
  if (options.linkerdInHome) {
    mkdirSync(join(box.home, '.linkerd2', 'bin'), { recursive: true })
    symlinkSync(join(standIns, 'linkerd'), join(box.home, '.linkerd2', 'bin', 'linkerd'))
  }
  return bin
}

function preflight(box: Sandbox, args: string[] = [], env: Record<string, string> = {}) {
  return runScript('scripts/preflight.ts', args, {
    env: {
      ...box.env,
      ...env,
    },
  })
}

/** The output with the machine's own figures (free disk, jq's version, the sandbox path) replaced. */
function normalized(stdout: string, box: Sandbox): string[] {
  return stdout.split('\n')
    .map(line => line.replaceAll(box.home, '$HOME'))
    .map(line => line.replace(/^ok {4}disk: [\d.]+ GiB free in/, 'ok    disk: N GiB free in'))
    .map(line => line.replace(/^ok {4}jq: .*/, 'ok    jq: (version)'))
}

const NODE = pins.KIND_NODE_IMAGE!
const HEADER = 'Preflight for the hands-on: kind v0.31.0, Kubernetes v1.35.0, Linkerd edge-26.6.3; 2 kind clusters at once (startup-init, startup-cni)'

describe('npm run preflight with the stand-in tools', { timeout: 60_000 }, () => {
  it('passes a ready machine: one ok line per check, the figures each relies on, and a summary; exit 0', async () => {
    const box = sandbox()
    const result = await preflight(box)
    expect(result.exitCode, result.stderr).toBe(0)
    expect(normalized(result.stdout, box)).toEqual([
      HEADER,
      'ok    docker: engine 27.5.1 reachable (Ubuntu 24.04.1 LTS, linux/x86_64)',
      'ok    docker CPUs: 8 CPUs (two kind nodes: 2 each)',
      'ok    docker memory: 16.0 GiB (3.3 GiB needed: two kind nodes × 1700 MiB, kubeadm\'s minimum per machine)',
      'ok    docker cgroups: v2',
      'ok    kind: 0.31.0',
      'ok    kubectl: v1.35.0 (within one minor version of v1.35.0)',
      'ok    linkerd: edge-26.6.3',
      'ok    jq: (version)',
      'ok    fs.inotify.max_user_watches: 524288 (at least 524288)',
      'ok    fs.inotify.max_user_instances: 512 (at least 512)',
      'ok    kind clusters: none named startup-init or startup-cni yet',
      'ok    disk: N GiB free in $HOME (Docker\'s data root); about 5.5 GiB needed (an estimate: 4.0 GiB for 2 clusters, 1.5 GiB for the 6 images not pulled yet)',
      '',
      'preflight: 12 ok: ready for the hands-on.',
    ])
    // Nothing is pulled, created or changed without --pull.
    expect(box.log().filter(call => !/^(?:docker info|docker image inspect|kind version|kind get clusters|kubectl version|linkerd version)/.test(call))).toEqual([])
  })

  it('fails an unreachable engine, wrong tool versions and low limits, each with its fix; exit 1', async () => {
    const box = sandbox({ watches: 8192, instances: 128 })
    const result = await preflight(box, [], {
      STAND_IN_DOCKER_DOWN: '1',
      STAND_IN_KIND_VERSION: '0.29.0',
      STAND_IN_KUBECTL_VERSION: 'v1.33.4',
      STAND_IN_LINKERD_VERSION: 'edge-26.5.1',
    })
    expect(result.exitCode).toBe(1)
    expect(normalized(result.stdout, box)).toEqual([
      HEADER,
      'FAIL  docker: the Docker engine is not reachable (docker info: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?)',
      '      fix: Start it (Docker Desktop: open the app; Linux: sudo systemctl start docker),',
      '           or check your permission to use it (Linux: sudo usermod -aG docker "$USER", then log in again).',
      'skip  docker resources: CPUs, memory and cgroups need the engine',
      'FAIL  kind: version 0.29.0 found, the snippets pin v0.31.0 (snippets/versions.env KIND_VERSION)',
      '      fix: Install kind v0.31.0: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (e.g. go install sigs.k8s.io/kind@v0.31.0).',
      'FAIL  kubectl: version v1.33.4 found; Kubernetes supports a kubectl within one minor version of the cluster, v1.35.0',
      '      fix: Install a kubectl from v1.34 to v1.36 (the cluster runs Kubernetes v1.35.0): https://kubernetes.io/docs/tasks/tools/',
      'FAIL  linkerd: CLI version edge-26.5.1 found, the snippets pin edge-26.6.3',
      '      fix: (set -a; . snippets/versions.env; bash snippets/setup/01-install-cli.sh)   # edge-26.6.3, digest-checked; needs curl and jq',
      '           export PATH="$HOME/.linkerd2/bin:$PATH"   # and add that line to your shell\'s profile',
      'ok    jq: (version)',
      'FAIL  fs.inotify.max_user_watches: 8192; 2 kind clusters at once need at least 524288 (kind\'s known issues: "too many open files")',
      '      fix: sudo sysctl fs.inotify.max_user_watches=524288',
      '           To keep it after a reboot: echo \'fs.inotify.max_user_watches = 524288\' | sudo tee -a /etc/sysctl.conf',
      'FAIL  fs.inotify.max_user_instances: 128; 2 kind clusters at once need at least 512 (kind\'s known issues: "too many open files")',
      '      fix: sudo sysctl fs.inotify.max_user_instances=512',
      '           To keep it after a reboot: echo \'fs.inotify.max_user_instances = 512\' | sudo tee -a /etc/sysctl.conf',
      'ok    kind clusters: none named startup-init or startup-cni yet',
      'skip  disk: where Docker keeps its data needs the engine',
      '',
      'preflight: 2 ok, 6 FAIL, 2 skipped: not ready: fix each FAIL above, then run npm run preflight again.',
    ])
  })

  it('accepts a kubectl one minor older or newer than the cluster', async () => {
    for (const version of ['v1.34.2', 'v1.36.0']) {
      const result = await preflight(sandbox(), [], { STAND_IN_KUBECTL_VERSION: version })
      expect(result.stdout).toContain(`ok    kubectl: ${version} (within one minor version of v1.35.0)`)
      expect(result.exitCode).toBe(0)
    }
  })

  it('fails a small engine, cgroup v1 and Windows containers; warns of the containerd image store', async () => {
    const box = sandbox()
    const result = await preflight(box, [], {
      STAND_IN_DOCKER_NCPU: '1',
      STAND_IN_DOCKER_MEM: String(2 * GiB),
      STAND_IN_DOCKER_CGROUP: '1',
      STAND_IN_DOCKER_OSTYPE: 'windows',
      STAND_IN_DOCKER_OS: 'Docker Desktop',
      STAND_IN_DOCKER_CONTAINERD: '1',
    })
    expect(result.exitCode).toBe(1)
    const lines = normalized(result.stdout, box)
    expect(lines.filter(line => /^(?:FAIL|warn)/.test(line))).toEqual([
      'FAIL  docker platform: the engine runs windows containers; kind\'s nodes are Linux containers',
      'FAIL  docker CPUs: 1 CPU; a kind node is a kubeadm machine, which needs at least 2',
      'FAIL  docker memory: 2.0 GiB; 3.3 GiB needed: two kind nodes × 1700 MiB, kubeadm\'s minimum per machine',
      'FAIL  docker cgroups: the engine runs on cgroup v1; the pinned Kubernetes v1.35 kubelet refuses to start on cgroup v1 (failCgroupV1, KEP-5573), so kind create cluster fails',
      expect.stringMatching(/^warn {2}docker image store: Docker keeps images in containerd/),
    ])
    // Every FAIL and warn has its fix on the next line.
    lines.forEach((line, index) => {
      if (/^(?:FAIL|warn)/.test(line))
        expect(lines[index + 1]).toMatch(/^ {6}fix: /)
    })
    expect(lines).toContain('      fix: Docker Desktop: Settings → Resources → Advanced → memory (4 GB or more), then Apply & restart.')
    // Docker Desktop's disk is its VM's: the working directory is measured, and the line says so.
    expect(lines.find(line => line.includes(' disk: '))).toMatch(/free in \S+ \(the working directory\).*Docker Desktop keeps images and clusters in its own virtual disk/)
  })

  it('names tools that are not on PATH, and finds a Linkerd CLI installed but not on PATH', async () => {
    const box = sandbox()
    const bin = onlyTools(box, ['docker'], { jq: false, linkerdInHome: true })
    const result = await preflight(box, [], { PATH: bin })
    expect(result.exitCode).toBe(1)
    expect(normalized(result.stdout, box).slice(1).filter(line => !/^(?:ok|skip)/.test(line))).toEqual([
      'FAIL  kind: not on PATH',
      '      fix: Install kind v0.31.0: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (e.g. go install sigs.k8s.io/kind@v0.31.0).',
      'FAIL  kubectl: not on PATH',
      '      fix: Install a kubectl from v1.34 to v1.36 (the cluster runs Kubernetes v1.35.0): https://kubernetes.io/docs/tasks/tools/',
      'FAIL  linkerd: not on PATH, but $HOME/.linkerd2/bin/linkerd exists',
      '      fix: export PATH="$HOME/.linkerd2/bin:$PATH"   # and add that line to your shell\'s profile',
      'FAIL  jq: not on PATH',
      '      fix: Install jq (macOS: brew install jq; Debian/Ubuntu: sudo apt-get install jq; others: https://jqlang.org/download/).',
      '',
      'preflight: 7 ok, 4 FAIL, 1 skipped: not ready: fix each FAIL above, then run npm run preflight again.',
    ])
    expect(result.stdout).toContain('skip  kind clusters: needs kind')

    const none = sandbox()
    const empty = await preflight(none, [], {
      PATH: onlyTools(none, [], { jq: false }),
    })
    expect(normalized(empty.stdout, none)).toContain('FAIL  docker: not on PATH')
    expect(normalized(empty.stdout, none)).toContain('      fix: kind runs its nodes as Docker containers: install Docker Engine (Linux) or Docker Desktop: https://docs.docker.com/get-started/get-docker/')
    expect(normalized(empty.stdout, none)).toContain('FAIL  linkerd: not on PATH')
  })

  it('warns when the talk\'s clusters exist already, and skips the inotify limits off Linux', async () => {
    const box = sandbox()
    mkdirSync(join(box.home, 'stand-in-clusters'))
    writeFileSync(join(box.home, 'stand-in-clusters', 'startup-init'), '')
    const noProc = join(box.home, '..', 'no-proc')
    mkdirSync(noProc)
    const result = await preflight(box, [], { PREFLIGHT_PROC_ROOT: noProc })
    expect(result.exitCode).toBe(0)
    const lines = normalized(result.stdout, box)
    expect(lines).toContain('warn  kind clusters: startup-init exists already: the step that creates it will fail (fine if you created it for this workshop)')
    expect(lines).toContain('      fix: kind delete cluster --name startup-init   # to start over')
    expect(lines).toContain(`skip  fs.inotify.max_user_watches: /proc/sys/fs/inotify/max_user_watches not found (not a Linux host: the limits that count are the Docker engine's)`)
    expect(lines.at(-1)).toBe('preflight: 9 ok, 1 warn, 2 skipped: ready for the hands-on; read the warnings above.')
  })
})

describe('npm run preflight -- --pull with the stand-in docker', { timeout: 60_000 }, () => {
  const others = pinnedImages(pins).images.filter(i => !i.node).map(i => i.image)

  it('pulls every pinned image on a cold machine, says how much, and how the images reach a cluster', async () => {
    const box = sandbox()
    const result = await preflight(box, ['--pull'])
    expect(result.exitCode, result.stderr).toBe(0)
    const lines = normalized(result.stdout, box)
    const from = lines.indexOf('')
    expect(lines.slice(from)).toEqual([
      '',
      '--pull: 6 pinned images, 6 to pull (images already in Docker are not pulled again):',
      `pulled  ${NODE} (1.00 GB)`,
      'pulled  docker.io/hashicorp/http-echo:1.0.0 (50.0 MB)',
      'pulled  docker.io/curlimages/curl:8.11.1 (50.0 MB)',
      'pulled  cr.l5d.io/linkerd/proxy:edge-26.6.3 (50.0 MB)',
      'pulled  cr.l5d.io/linkerd/controller:edge-26.6.3 (50.0 MB)',
      'pulled  cr.l5d.io/linkerd/cni-plugin:v1.6.8 (50.0 MB)',
      'pulled 6 images, 1.25 GB on disk (the download was compressed, so smaller).',
      'kind create cluster takes the node image from Docker; the other images reach a cluster only through kind load',
      `(npm run stage does it for you). After creating each cluster: kind load docker-image --name <cluster> ${others.join(' ')}`,
      '',
      'preflight: 12 ok: ready for the hands-on.',
    ])
    expect(box.log().filter(call => call.startsWith('docker pull'))).toEqual([NODE, ...others].map(image => `docker pull ${image}`))
  })

  it('pulls only what is missing: a second run pulls nothing, a partial machine pulls the rest', async () => {
    const box = sandbox()
    box.addImage(NODE, 987_654_321)
    box.addImage('docker.io/curlimages/curl:8.11.1', 21_000_000)
    const first = await preflight(box, ['--pull'])
    expect(first.exitCode).toBe(0)
    // The disk estimate counts only the images not pulled yet.
    expect(normalized(first.stdout, box)).toContain('ok    disk: N GiB free in $HOME (Docker\'s data root); about 4.4 GiB needed (an estimate: 4.0 GiB for 2 clusters, 0.4 GiB for the 4 images not pulled yet)')
    expect(first.stdout).toContain('--pull: 6 pinned images, 4 to pull')
    expect(first.stdout).toContain(`present ${NODE} (987.7 MB)`)
    expect(first.stdout).toContain('present docker.io/curlimages/curl:8.11.1 (21.0 MB)')
    expect(first.stdout).toContain('pulled 4 images, 200.0 MB on disk (the download was compressed, so smaller); 2 images already present (1.01 GB), not pulled again.')
    expect(box.log().filter(call => call.startsWith('docker pull'))).toHaveLength(4)

    const again = await preflight(box, ['--pull'])
    expect(again.exitCode).toBe(0)
    expect(again.stdout).toContain('--pull: 6 pinned images, 0 to pull')
    expect(again.stdout).toContain('pulled nothing; 6 images already present (1.21 GB), not pulled again.')
    expect(normalized(again.stdout, box)).toContain('ok    disk: N GiB free in $HOME (Docker\'s data root); about 4.0 GiB needed (an estimate: 4.0 GiB for 2 clusters, every pinned image is pulled already)')
    expect(box.log().filter(call => call.startsWith('docker pull'))).toHaveLength(4)
  })

  it('fails each image it could not pull, with the fix; exit 1', async () => {
    const box = sandbox()
    box.addImage(NODE)
    writeFileSync(join(box.home, 'stand-in-docker-pull-fails'), '')
    const result = await preflight(box, ['--pull'])
    expect(result.exitCode).toBe(1)
    const lines = normalized(result.stdout, box)
    expect(lines).toContain('FAIL    cr.l5d.io/linkerd/cni-plugin:v1.6.8: Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host')
    expect(lines.filter(line => line.startsWith('FAIL    '))).toHaveLength(5)
    expect(lines.filter(line => line.startsWith('        fix: check the network'))).toHaveLength(5)
    expect(lines).toContain('pulled nothing; 1 image already present (1.00 GB), not pulled again; 5 failed.')
    expect(lines.at(-1)).toBe('preflight: 12 ok, 5 images not pulled: not ready: fix each FAIL above, then run npm run preflight again.')
  })

  it('stops on Ctrl-C during a pull: the image being pulled and the rest are left, exit 130', async () => {
    const box = sandbox()
    writeFileSync(join(box.home, 'stand-in-docker-pull-hangs'), '')
    const child = preflight(box, ['--pull'])
    const started = join(box.home, 'stand-in-docker-pull-started')
    for (let waited = 0; !existsSync(started) && waited < 30_000; waited += 100)
      await new Promise(resolve => setTimeout(resolve, 100))
    child.kill('SIGINT')
    const result = await child
    expect(result.exitCode).toBe(130)
    const lines = normalized(result.stdout, box)
    expect(lines).toContain('SIGINT: stopping the pull; what was pulled stays')
    expect(lines).toContain(`stopped ${NODE}: interrupted, not pulled`)
    expect(lines.at(-1)).toBe('pulled nothing; 6 not pulled (interrupted).')
  })

  it('pulls nothing when the engine is not reachable', async () => {
    const box = sandbox()
    const result = await preflight(box, ['--pull'], { STAND_IN_DOCKER_DOWN: '1' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('--pull: not pulling: the Docker engine is not reachable (see above).')
    expect(box.log().filter(call => call.startsWith('docker pull'))).toEqual([])
  })
})

describe('a short disk (in process, the free space injected)', { timeout: 60_000 }, () => {
  it('fails the disk check with its fix, and --pull then pulls nothing', async () => {
    const box = sandbox()
    const saved = { PATH: process.env.PATH, HOME: process.env.HOME }
    // The shared probe runs the tools with this process's environment.
    process.env.PATH = box.env.PATH
    process.env.HOME = box.home
    const lines: string[] = []
    try {
      const status = await runPreflight({
        root: repo,
        pins,
        scenarios: readScenarios(repo),
        pull: true,
        env: box.env,
        cwd: repo,
        log: line => lines.push(line),
        host: {
          freeBytes: async () => 2 * GiB,
          exists: () => true,
        },
      })
      expect(status).toBe(1)
    }
    finally {
      process.env.PATH = saved.PATH
      process.env.HOME = saved.HOME
    }
    expect(lines).toContain(`FAIL  disk: ${gib(2 * GiB)} free in ${box.home} (Docker's data root); about 5.5 GiB needed (an estimate: 4.0 GiB for 2 clusters, 1.5 GiB for the 6 images not pulled yet)`)
    expect(lines[lines.findIndex(line => line.startsWith('FAIL  disk')) + 1]).toMatch(/^ {6}fix: Free some space: docker system df/)
    expect(lines).toContain('--pull: not pulling: not enough free disk (see above).')
    expect(box.log().filter(call => call.startsWith('docker pull'))).toEqual([])
  })
})
