import { readFile } from 'node:fs/promises'
import http from 'node:http'
import { join } from 'node:path'
import sirv from 'sirv'
import { listenOnLoopback } from '../core/serve'

export interface PagesServer {
  origin: string
  /** The site's own address: origin and base. */
  url: string
  close: () => Promise<void>
}

/**
 * Serves a built site on 127.0.0.1 the way GitHub Pages serves a project site: only under
 * `base`; `/base/x` from `x`, `x.html` or `x/index.html`; anything else gets the site's 404.html
 * with status 404 (not the SPA fallback with status 200 that scripts/core/serve.ts gives).
 */
export async function servePagesSite(directory: string, base: string, port = 0): Promise<PagesServer> {
  const files = sirv(directory, {
    dev: true,
    etag: false,
    extensions: ['html'],
  })
  const notFound = async (response: http.ServerResponse): Promise<void> => {
    const page = await readFile(join(directory, '404.html')).catch(() => undefined)
    response.statusCode = 404
    response.setHeader('content-type', 'text/html; charset=utf-8')
    response.end(page ?? 'not found')
  }
  const server = http.createServer((request, response) => {
    const url = request.url ?? '/'
    if (!url.startsWith(base)) {
      response.statusCode = 404
      response.end('not found: outside the site')
      return
    }
    request.url = `/${url.slice(base.length)}`
    files(request, response, () => void notFound(response))
  })
  const listening = await listenOnLoopback(server, port)
  return { ...listening, url: `${listening.origin}${base}` }
}
