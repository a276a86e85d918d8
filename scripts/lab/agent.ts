import type { AddressInfo, Server, Socket } from 'node:net'
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import process from 'node:process'

// Runs inside one of the lab's network namespaces (started with `ip netns exec`), and is the
// only thing there that opens sockets:
//   listen '[{"address":"0.0.0.0","port":4143,"owner":"proxy inbound"},…]'
//     answers every connection with one JSON line naming itself and the address and port the
//     connection arrived at, then closes it; prints "ready" once every port is bound.
//   connect '{"host":"10.96.112.40","port":80,"uid":2102,"localAddress":"…"}'
//     drops to the uid (the nat table's owner match sees the socket's uid), connects, and prints
//     one JSON line: what answered, or that the connection was refused or timed out.
//   validator '{"port":4140,"host":"10.96.200.1","targetPort":20001,"uid":65534}'
//     linkerd-network-validator's trick: listen on 4140, connect out, and expect the connection
//     to come back to that listener carrying the token it sent.

export interface ListenerSpec {
  address: string
  port: number
  owner: string
}

export interface Answer {
  owner: string
  address: string
  port: number
}

export type ConnectResult
  = | { kind: 'answered', answer: Answer, clientPort?: number, originalDestination?: string }
    | { kind: 'refused' }
    | { kind: 'timeout' }
    | { kind: 'error', code: string }

const TIMEOUT_MS = 3000

function dropPrivileges(uid: number | undefined): void {
  if (uid === undefined || uid === 0)
    return
  process.setgroups?.([])
  process.setgid?.(uid)
  process.setuid?.(uid)
}

function listen(specs: ListenerSpec[]): void {
  const servers: Server[] = specs.map(spec => net.createServer((socket) => {
    const local = socket.address() as AddressInfo
    socket.end(`${JSON.stringify({
      owner: spec.owner,
      address: local.address.replace(/^::ffff:/, ''),
      port: local.port,
    })}\n`)
  }))
  let bound = 0
  servers.forEach((server, i) => server.listen(specs[i]!.port, specs[i]!.address, () => {
    if (++bound === servers.length)
      console.log('ready')
  }))
}

function readLine(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      data += chunk
      const end = data.indexOf('\n')
      if (end >= 0)
        resolve(data.slice(0, end))
    })
    socket.on('end', () => resolve(data))
    socket.on('error', reject)
  })
}

type Exchange
  = | { kind: 'answered', line: string, clientPort?: number }
    | { kind: 'refused' }
    | { kind: 'timeout' }
    | { kind: 'error', code: string }

/** Connects, optionally sends one line, and reads one line back. */
function exchange(options: { host: string, port: number, localAddress?: string, send?: string }): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = net.connect({
      host: options.host,
      port: options.port,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    })
    const timer = setTimeout(() => {
      socket.destroy()
      resolve({ kind: 'timeout' })
    }, TIMEOUT_MS)
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      resolve(error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET'
        ? { kind: 'refused' }
        : { kind: 'error', code: error.code ?? String(error) })
    })
    socket.on('connect', () => {
      const clientPort = socket.localPort
      if (options.send !== undefined)
        socket.write(`${options.send}\n`)
      readLine(socket).then((line) => {
        clearTimeout(timer)
        socket.destroy()
        resolve({
          kind: 'answered',
          line,
          ...(clientPort ? { clientPort } : {}),
        })
      }, () => {})
    })
  })
}

async function connect(options: { host: string, port: number, localAddress?: string }): Promise<ConnectResult> {
  const result = await exchange(options)
  if (result.kind !== 'answered')
    return result
  return {
    kind: 'answered',
    answer: JSON.parse(result.line) as Answer,
    ...(result.clientPort ? { clientPort: result.clientPort } : {}),
  }
}

async function validator(options: { port: number, host: string, targetPort: number, uid?: number }): Promise<void> {
  const token = randomBytes(8).toString('hex')
  const server = net.createServer(socket => readLine(socket).then(line => socket.end(`${line}\n`)))
  await new Promise<void>(resolve => server.listen(options.port, '0.0.0.0', resolve))
  dropPrivileges(options.uid)
  const result = await exchange({ host: options.host, port: options.targetPort, send: token })
  server.close()
  console.log(JSON.stringify(result.kind === 'answered'
    ? { kind: 'answered', echoed: result.line === token }
    : { kind: result.kind }))
}

async function main(): Promise<void> {
  const [command, json] = process.argv.slice(2)
  const options = JSON.parse(json ?? '{}')
  if (command === 'listen') {
    listen(options as ListenerSpec[])
  }
  else if (command === 'connect') {
    dropPrivileges(options.uid as number | undefined)
    console.log(JSON.stringify(await connect(options)))
  }
  else if (command === 'validator') {
    await validator(options)
  }
  else {
    console.error('usage: agent listen|connect|validator JSON')
    process.exitCode = 2
  }
}

if (process.argv[1]?.endsWith('agent.ts'))
  await main()
