import type { AddressInfo } from 'node:net'
import http from 'node:http'
import sirv from 'sirv'

export interface StaticServer {
  origin: string
  close: () => Promise<void>
}

/** Serves a built deck on 127.0.0.1 only, with the SPA fallback Slidev's history router needs. */
export async function serveStatic(directory: string): Promise<StaticServer> {
  const handler = sirv(directory, { single: true, dev: true, etag: false })
  const server = http.createServer((request, response) => handler(request, response, () => {
    response.statusCode = 404
    response.end('not found')
  }))
  return listenOnLoopback(server)
}

/** Starts `server` on 127.0.0.1 only (port 0: any free one): its origin, and how to close it. */
export async function listenOnLoopback(server: http.Server, port = 0): Promise<StaticServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise(resolve => server.close(() => resolve())),
  }
}
