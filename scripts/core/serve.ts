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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise(resolve => server.close(() => resolve())),
  }
}
