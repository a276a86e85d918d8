import type { Plugin } from 'vite'
import type { AttendeeLinks, QrSvg, RepositoryAddress } from '../../model/attendee-links'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import QRCode from 'qrcode'
import { GUIDE_FILE, handoutFileName, qrSvg, REPOSITORY_MISSING, repositoryAddress } from '../../model/attendee-links'

// The repository's address, from its one source (the package.json nearest the deck, the
// project's own for slides.md), made into what the slides show: the link and its QR code as
// SVG path data, computed here at build time (no network, no image), and served to
// <RepoLink> as the virtual module `virtual:attendee-links` by the Vite plugin below.

export const ATTENDEE_LINKS_MODULE = 'virtual:attendee-links'

/** The package.json nearest the deck's root, looking upwards; undefined when there is none. */
export function findPackageJson(root: string): string | undefined {
  for (let directory = root; ; directory = dirname(directory)) {
    const file = join(directory, 'package.json')
    if (existsSync(file))
      return file
    if (dirname(directory) === directory)
      return undefined
  }
}

export interface RepositorySource {
  /** The package.json it was read from, if any. */
  packageJson: string | undefined
  address: RepositoryAddress
}

export function readRepository(root: string): RepositorySource {
  const packageJson = findPackageJson(root)
  if (!packageJson) {
    return {
      packageJson,
      address: { state: 'unset' },
    }
  }
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { repository?: unknown }
  return {
    packageJson,
    address: repositoryAddress(manifest.repository),
  }
}

/** The QR code of `url` (error correction M, about 15% of the symbol can be lost), as SVG path data. */
export function qrCodeOf(url: string): QrSvg {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' })
  return qrSvg({
    size: modules.size,
    dark: (row, column) => Boolean(modules.get(row, column)),
  })
}

export function attendeeLinks(address: RepositoryAddress, exportFilename: unknown): AttendeeLinks {
  return {
    repository: address.state === 'set'
      ? {
          url: address.url,
          label: address.label,
          qr: qrCodeOf(address.url),
        }
      : null,
    guide: GUIDE_FILE,
    handout: handoutFileName(exportFilename),
  }
}

export interface RepositoryCheck {
  /** Fail the check. */
  problems: string[]
  /** Printed, and the check still passes. */
  notices: string[]
}

/**
 * The deck check's view of the address. Missing, it is what to set before a talk: a problem
 * with `beforeTalk` (`npm run check:deck -- --before-talk`), a notice otherwise, so that CI
 * stays green while the public address is unknown. Set but unusable, it is a problem either way.
 */
export function repositoryCheck(root: string, options: { beforeTalk: boolean }): RepositoryCheck {
  const { packageJson, address } = readRepository(root)
  if (address.state === 'set')
    return { problems: [], notices: [] }
  if (address.state === 'invalid') {
    const file = packageJson ? relative(root, packageJson) || 'package.json' : 'package.json'
    return {
      problems: [`${file}: ${address.reason}`],
      notices: [],
    }
  }
  if (options.beforeTalk) {
    return {
      problems: [REPOSITORY_MISSING],
      notices: [],
    }
  }
  return {
    problems: [],
    notices: [`notice: ${REPOSITORY_MISSING}; until then the slides say "address to be announced" and show no QR code (npm run check:deck -- --before-talk fails on this)`],
  }
}

/** What the plugin needs of Slidev's resolved options. */
export interface AttendeeLinksFacts {
  userRoot: string
  data: { headmatter: Record<string, unknown> }
}

/** Serves `virtual:attendee-links` in every mode (dev, build, export), rebuilt when package.json changes. */
export function attendeeLinksPlugin(slidev: AttendeeLinksFacts): Plugin {
  const resolvedId = `\0${ATTENDEE_LINKS_MODULE}`
  return {
    name: 'deck:attendee-links',
    resolveId(id) {
      return id === ATTENDEE_LINKS_MODULE ? resolvedId : undefined
    },
    load(id) {
      if (id !== resolvedId)
        return undefined
      const { packageJson, address } = readRepository(slidev.userRoot)
      if (packageJson)
        this.addWatchFile(packageJson)
      const links = attendeeLinks(address, slidev.data.headmatter.exportFilename)
      return `export default ${JSON.stringify(links)}\n`
    },
  }
}
