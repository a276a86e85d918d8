import type { ChildProcess } from 'node:child_process'
import type { CriClient } from './cri-client'
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { conflist, RECORD_PLUGIN, STANDIN_PLUGIN } from './conflist'
import { containerdConfig } from './containerd-config'
import { criClient } from './cri-client'
import { buildImage } from './image'
import { BASE, IMAGE, K8S_NAMESPACE, layout, NODE_NS, NODE_NS_PATH, SERVICE } from './layout'

// The lab's node: a network namespace with containerd in it, a tmpfs for everything containerd
// writes, the CNI chain, the image, and a stand-in Service backend. `tearDown` removes all of it,
// whether this process started it or an earlier run left it.

export interface Node {
  cri: CriClient
  containerd: ChildProcess
  backend: ChildProcess
  setConflist: (withLinkerdCni: boolean) => Promise<void>
}

function pluginWrapper(source: string): string {
  const script = fileURLToPath(new URL(source, import.meta.url))
  return `#!/bin/sh\nexec '${process.execPath}' --import '${import.meta.resolve('tsx')}' '${script}' "$@"\n`
}

async function run(command: string, args: string[]): Promise<string> {
  const result = await execa(command, args, { reject: false })
  if (result.exitCode !== 0)
    throw new Error(`${command} ${args.join(' ')}: ${(result.stderr || result.stdout).trim()}`)
  return result.stdout
}

export async function bringUp(busybox: string, cniPlugins: string, rulesText: string): Promise<Node> {
  mkdirSync(BASE, { recursive: true })
  await run('mount', ['-t', 'tmpfs', '-o', 'mode=0755', 'sbxlab', BASE])
  for (const dir of [
    layout.root,
    layout.state,
    layout.runcRoot,
    layout.cniBin,
    layout.cniConf,
    layout.podLogs,
  ])
    mkdirSync(dir, { recursive: true })
  await run('ip', ['netns', 'add', NODE_NS])
  await run('ip', ['-n', NODE_NS, 'link', 'set', 'lo', 'up'])
  await run('ip', ['-n', NODE_NS, 'addr', 'add', `${SERVICE.host}/32`, 'dev', 'lo'])

  for (const plugin of ['ptp', 'host-local', 'portmap', 'loopback']) {
    await run('ln', ['-s', join(cniPlugins, plugin), join(layout.cniBin, plugin)])
  }
  writeFileSync(join(layout.cniBin, RECORD_PLUGIN), pluginWrapper('./cni-record.ts'))
  writeFileSync(join(layout.cniBin, STANDIN_PLUGIN), pluginWrapper('./cni-linkerd-standin.ts'))
  chmodSync(join(layout.cniBin, RECORD_PLUGIN), 0o755)
  chmodSync(join(layout.cniBin, STANDIN_PLUGIN), 0o755)
  writeFileSync(layout.proxyInitRules, rulesText)
  writeFileSync(layout.cniLog, '')
  const writeConflist = (withLinkerdCni: boolean) => writeFileSync(join(layout.cniConf, '10-sbxlab.conflist'), `${JSON.stringify(conflist({ withLinkerdCni, logFile: layout.cniLog, rulesFile: layout.proxyInitRules }), null, 2)}\n`)
  writeConflist(false)
  writeFileSync(layout.config, containerdConfig())
  await buildImage(IMAGE, busybox, layout.imageTar)

  const log = openSync(layout.containerdLog, 'a')
  const containerd = spawn('nsenter', [`--net=${NODE_NS_PATH}`, 'containerd', '--config', layout.config], {
    stdio: ['ignore', log, log],
  })
  const backend = spawn('nsenter', [
    `--net=${NODE_NS_PATH}`,
    busybox,
    'nc',
    '-ll',
    '-p',
    String(SERVICE.port),
    '-e',
    busybox,
    'echo',
    'backend',
  ], { stdio: 'ignore' })
  const cri = criClient(layout.socket)
  const deadline = Date.now() + 20_000
  for (;;) {
    try {
      await cri.Version({ version: 'v1' })
      break
    }
    catch (error) {
      if (Date.now() > deadline || containerd.exitCode !== null)
        throw new Error(`containerd did not answer on ${layout.socket}: ${String(error)}\n${readFileSync(layout.containerdLog, 'utf8').split('\n').slice(-5).join('\n')}`)
      await new Promise(resolve => setTimeout(resolve, 200))
    }
  }
  await run('ctr', [
    '--address',
    layout.socket,
    '--namespace',
    K8S_NAMESPACE,
    'image',
    'import',
    '--snapshotter',
    'overlayfs',
    layout.imageTar,
  ])

  const setConflist = async (withLinkerdCni: boolean) => {
    writeConflist(withLinkerdCni)
    await waitForConflist(cri, withLinkerdCni)
  }
  await waitForConflist(cri, false)
  return {
    cri,
    containerd,
    backend,
    setConflist,
  }
}

/** containerd reloads the conflist on a file event; wait until its status shows the chain the case needs. */
async function waitForConflist(cri: CriClient, withLinkerdCni: boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const status = await cri.Status({ verbose: true })
    const config = String(status.info?.cniconfig ?? '')
    if (config.includes(RECORD_PLUGIN) && config.includes(STANDIN_PLUGIN) === withLinkerdCni)
      return
    if (Date.now() > deadline)
      throw new Error(`containerd did not load the conflist ${withLinkerdCni ? 'with' : 'without'} the stand-in linkerd-cni plugin`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

/** What an earlier run left, in words; empty when nothing is left. */
export function leftovers(): string[] {
  const found: string[] = []
  if (existsSync(BASE))
    found.push(BASE)
  if (existsSync(NODE_NS_PATH))
    found.push(`network namespace ${NODE_NS}`)
  return found
}

function mountPointsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map(line => (line.split(' ')[4] ?? '').replace(/\\040/g, ' ')).filter(point => point === dir || point.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length)
}

/** Every process whose command line names the lab's directory, or that lives in the node namespace. */
function labProcesses(): number[] {
  let node: ReturnType<typeof statSync> | undefined
  try {
    node = statSync(NODE_NS_PATH)
  }
  catch {}
  const pids: number[] = []
  for (const pid of readdirSync('/proc').filter(name => /^\d+$/.test(name)).map(Number)) {
    if (pid === process.pid)
      continue
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      const ns = statSync(`/proc/${pid}/ns/net`)
      if (cmdline.includes(BASE) || (node && ns.ino === node.ino && ns.dev === node.dev))
        pids.push(pid)
    }
    catch {}
  }
  return pids
}

/**
 * Removes everything the lab starts, in an order that lets each step work: containerd, every
 * container (through runc), any process left in the node, the mounts, the directory, the
 * namespace. Returns what it could not remove.
 */
export async function tearDown(node?: Pick<Node, 'cri' | 'containerd' | 'backend'>): Promise<string[]> {
  node?.cri.close()
  node?.backend.kill('SIGKILL')
  if (node?.containerd && node.containerd.exitCode === null && node.containerd.signalCode === null) {
    const exited = new Promise(resolve => node.containerd.once('exit', resolve))
    node.containerd.kill('SIGTERM')
    const timer = setTimeout(() => node.containerd.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
  if (existsSync(layout.runcRoot)) {
    const listed = await execa('runc', ['--root', layout.runcRoot, 'list', '-q'], { reject: false })
    for (const id of listed.stdout.split('\n').filter(Boolean)) {
      await execa('runc', ['--root', layout.runcRoot, 'delete', '--force', id], { reject: false })
    }
  }
  for (const pid of labProcesses()) {
    try {
      process.kill(pid, 'SIGKILL')
    }
    catch {}
  }
  await new Promise(resolve => setTimeout(resolve, 100))
  const problems: string[] = []
  for (const point of mountPointsUnder(BASE)) {
    const result = await execa('umount', [point], { reject: false })
    if (result.exitCode !== 0)
      await execa('umount', ['-l', point], { reject: false })
  }
  if (existsSync(BASE)) {
    try {
      if (mountPointsUnder(BASE).length === 0 && readdirSync(BASE).length === 0)
        rmdirSync(BASE)
      else
        problems.push(`${BASE} is still mounted or not empty`)
    }
    catch (error) {
      problems.push(`${BASE}: ${String(error)}`)
    }
  }
  if (existsSync(NODE_NS_PATH)) {
    const result = await execa('ip', ['netns', 'delete', NODE_NS], { reject: false })
    if (result.exitCode !== 0)
      problems.push(`ip netns delete ${NODE_NS}: ${result.stderr.trim()}`)
  }
  return problems
}
