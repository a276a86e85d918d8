// Where attendees find the repository, the follow-along guide and the handout. The repository's
// address has one source, package.json's `repository` field: read at build time (scripts/deck/
// attendee-links.ts), turned into a link and a QR code there, and handed to <RepoLink> as data.
// Pure: no Node, no Vue.

/** What to set, and where, when the address is missing: the deck check prints it as it is. */
export const REPOSITORY_MISSING = 'package.json: set "repository": {"type": "git", "url": "https://github.com/<owner>/<repo>"} (the address attendees should open)'

/** The text the slides show while the address is unknown, instead of a link and a QR code. */
export const ADDRESS_TO_BE_ANNOUNCED = 'address to be announced'

/** The follow-along guide, at the repository's root (`npm run write:workshop` writes it). */
export const GUIDE_FILE = 'WORKSHOP.md'

export type RepositoryAddress
  = | { state: 'unset' }
    | { state: 'invalid', reason: string }
    | { state: 'set', url: string, label: string }

const SHORTHAND_HOSTS: Record<string, string> = {
  github: 'github.com',
  gitlab: 'gitlab.com',
  bitbucket: 'bitbucket.org',
}

function invalid(reason: string): RepositoryAddress {
  return { state: 'invalid', reason: `"repository" ${reason}` }
}

/**
 * The web address attendees open, from package.json's `repository` as npm documents it: an
 * object `{ "type": "git", "url": ... }` or a string; a URL (`https:`, `git+https:`, `git:`,
 * `git+ssh://git@host/...`, `git@host:owner/repo.git`) or a shorthand (`owner/repo`,
 * `github:owner/repo`, `gitlab:`, `bitbucket:`). Always an https address without `.git`.
 */
export function repositoryAddress(field: unknown): RepositoryAddress {
  if (field === undefined || field === null || field === '')
    return { state: 'unset' }
  let raw: unknown = field
  if (typeof field === 'object') {
    raw = (field as { url?: unknown }).url
    if (raw === undefined || raw === '')
      return invalid('has no "url"')
  }
  if (typeof raw !== 'string')
    return invalid('must be a string or {"type": "git", "url": "https://..."}')
  const text = raw.trim()
  if (/[<>\s]/.test(text))
    return invalid(`is still a placeholder (${text}): put the real address there`)

  let address: string
  const shorthand = text.match(/^(?:(github|gitlab|bitbucket):)?([\w-]+\/[\w.-]+)$/)
  const scpLike = text.match(/^[\w.-]+@([\w.-]+):(?!\/)(.+)$/)
  if (shorthand)
    address = `https://${SHORTHAND_HOSTS[shorthand[1] ?? 'github']}/${shorthand[2]}`
  else if (scpLike)
    address = `https://${scpLike[1]}/${scpLike[2]}`
  else
    address = text.replace(/^git\+/, '')

  let url: URL
  try {
    url = new URL(address)
  }
  catch {
    return invalid(`is not an address (${text})`)
  }
  if (url.protocol === 'git:' || url.protocol === 'ssh:') {
    url = new URL(`https://${url.hostname}${url.pathname}`)
  }
  else if (url.protocol !== 'https:') {
    return invalid(`must be an https address attendees can open (${text})`)
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\.git$/, '')
  if (!path || path === '/')
    return invalid(`names a host but no repository (${text})`)
  const clean = `https://${url.host}${path}`
  return { state: 'set', url: clean, label: `${url.host}${path}` }
}

/** A PDF's file name from the headmatter's `exportFilename` (Slidev's default when unset), e.g. `-handout`. */
export function exportFileName(exportFilename: unknown, suffix = ''): string {
  const slug = typeof exportFilename === 'string' && exportFilename ? exportFilename : 'slides-export'
  return `${slug}${suffix}.pdf`
}

/** The handout's file name, made like the slides PDF's. */
export function handoutFileName(exportFilename: unknown): string {
  return exportFileName(exportFilename, '-handout')
}

/** A QR code as an SVG path: `size` modules square (quiet zone included), dark modules in `path`. */
export interface QrSvg {
  size: number
  path: string
}

/** The modules a QR encoder gives: `size` × `size`, dark where `dark(row, column)`. */
export interface QrModules {
  size: number
  dark: (row: number, column: number) => boolean
}

/** The quiet zone the QR standard asks for around the symbol, in modules. */
export const QR_QUIET_ZONE = 4

/** One `M x y h n v1 h-n z` rectangle per run of dark modules in a row, offset by the quiet zone. */
export function qrSvg(modules: QrModules): QrSvg {
  const parts: string[] = []
  for (let row = 0; row < modules.size; row++) {
    let column = 0
    while (column < modules.size) {
      if (!modules.dark(row, column)) {
        column++
        continue
      }
      const start = column
      while (column < modules.size && modules.dark(row, column))
        column++
      const run = column - start
      parts.push(`M${start + QR_QUIET_ZONE} ${row + QR_QUIET_ZONE}h${run}v1h-${run}z`)
    }
  }
  return {
    size: modules.size + 2 * QR_QUIET_ZONE,
    path: parts.join(''),
  }
}

/** What the build hands the slides (the `virtual:attendee-links` module). */
export interface AttendeeLinks {
  /** null while package.json has no usable `repository`: the slides say "address to be announced". */
  repository: { url: string, label: string, qr: QrSvg } | null
  guide: string
  handout: string
}
