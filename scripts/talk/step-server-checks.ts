import type { Buffer } from 'node:buffer'
import { createHash, timingSafeEqual } from 'node:crypto'
import { BlockList, isIP } from 'node:net'

// The step server's refusals, as pure functions of a request's facts: where it came from (Host,
// Origin, Sec-Fetch-Site, the local address it arrived on), its token, and the step id it names.
// Each returns undefined when the request may go on, or the status and message to answer with.

export interface Refusal {
  status: number
  message: string
}

export type Headers = Readonly<Record<string, string | string[] | undefined>>

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

/** 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6 (::ffff:127.0.0.1). */
export function isLoopbackAddress(address: string): boolean {
  const family = isIP(address)
  return family !== 0 && LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

/**
 * Whether a dev server told to listen on `host` (Vite's server.host) stays on this machine:
 * unset (Vite's default, localhost), `localhost`, or a loopback address. `true`, `0.0.0.0`, `::`
 * and any other name or address listen beyond it.
 */
export function isLoopbackHost(host: string | boolean | undefined): boolean {
  if (host === undefined || host === false)
    return true
  if (host === true)
    return false
  const bare = host.replace(/^\[(.*)\]$/, '$1')
  return bare === 'localhost' || isLoopbackAddress(bare)
}

/** The Host header values a browser on this machine sends to a server on `port`. */
export function loopbackHosts(port: number): string[] {
  return [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]
}

export interface RequestFacts {
  headers: Headers
  /** The port and address the request arrived on (the socket's local end). */
  localPort: number
  localAddress: string | undefined
  /** Where it came from (the socket's remote end). */
  remoteAddress?: string | undefined
}

/**
 * Same origin, on loopback: the request arrived on a loopback address, from one; its Host is one of this
 * server's loopback names with this port (which defeats DNS rebinding: a rebound name arrives
 * with its own Host); an Origin, when sent, is `http://` plus that Host; a browser's
 * Sec-Fetch-Site, when sent, is `same-origin`.
 */
export function originRefusal(facts: RequestFacts): Refusal | undefined {
  if (facts.localAddress !== undefined && !isLoopbackAddress(facts.localAddress))
    return { status: 403, message: `refused: the request arrived on ${facts.localAddress}, not on loopback` }
  if (facts.remoteAddress !== undefined && !isLoopbackAddress(facts.remoteAddress))
    return { status: 403, message: `refused: the request came from ${facts.remoteAddress}, not from loopback` }
  const host = header(facts.headers, 'host')
  if (!host || !loopbackHosts(facts.localPort).includes(host.toLowerCase()))
    return { status: 403, message: `refused: Host ${host ?? '(none)'} is not this server (${loopbackHosts(facts.localPort).join(', ')})` }
  const origin = header(facts.headers, 'origin')
  if (origin !== undefined && origin.toLowerCase() !== `http://${host.toLowerCase()}`)
    return { status: 403, message: `refused: cross-origin request from ${origin}` }
  const site = header(facts.headers, 'sec-fetch-site')
  if (site !== undefined && site !== 'same-origin')
    return { status: 403, message: `refused: cross-origin request (Sec-Fetch-Site: ${site})` }
  return undefined
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

/** Compares in constant time (both sides hashed to the same length first). */
export function tokenRefusal(presented: string | undefined, token: string): Refusal | undefined {
  if (presented === undefined || presented === '')
    return { status: 403, message: 'refused: no token; reload the deck page (npm run present makes a new token at each start)' }
  if (!timingSafeEqual(digest(presented), digest(token)))
    return { status: 403, message: 'refused: wrong token; reload the deck page (npm run present makes a new token at each start)' }
  return undefined
}

/**
 * A step id as the slides write it, `scenario/NN-name`: lower-case letters, digits and hyphens,
 * one slash. No dot, no percent sign, no leading slash: nothing that could name a path.
 */
export const STEP_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}\/\d{2}-[a-z0-9][a-z0-9-]{0,63}$/

export function stepIdRefusal(value: unknown): Refusal | undefined {
  if (typeof value !== 'string')
    return { status: 400, message: 'refused: the request must be {"step": "scenario/NN-name"}' }
  if (!STEP_ID_PATTERN.test(value))
    return { status: 400, message: `refused: ${JSON.stringify(value.slice(0, 80))} is not a step id (scenario/NN-name: lower-case letters, digits and hyphens)` }
  return undefined
}
