import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { ADDRESS_TO_BE_ANNOUNCED, handoutFileName, QR_QUIET_ZONE, qrSvg, REPOSITORY_MISSING, repositoryAddress } from '../../model/attendee-links'
import { readDeck } from '../../scripts/core/deck-source'
import { ATTENDEE_LINKS_MODULE, attendeeLinks, attendeeLinksPlugin, findPackageJson, qrCodeOf, repositoryCheck } from '../../scripts/deck/attendee-links'
import { decodeQr } from './qr-raster'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const fixture = (name: 'with-address' | 'without-address') => fileURLToPath(new URL(`../fixtures/attendee-links/${name}`, import.meta.url))
const FIXTURE_URL = 'https://github.com/example-owner/attendee-links-fixture'

describe('the repository\'s address, from package.json\'s "repository"', () => {
  it('is unset when the field is missing or empty', () => {
    expect(repositoryAddress(undefined)).toEqual({ state: 'unset' })
    expect(repositoryAddress('')).toEqual({ state: 'unset' })
  })

  it.each([
    [
      { type: 'git', url: 'https://github.com/linkerd/workshop' },
      'https://github.com/linkerd/workshop',
    ],
    [
      { type: 'git', url: 'git+https://github.com/linkerd/workshop.git' },
      'https://github.com/linkerd/workshop',
    ],
    ['https://gitlab.com/group/sub/workshop/', 'https://gitlab.com/group/sub/workshop'],
    ['git://github.com/linkerd/workshop.git', 'https://github.com/linkerd/workshop'],
    ['git+ssh://git@github.com/linkerd/workshop.git', 'https://github.com/linkerd/workshop'],
    ['git@github.com:linkerd/workshop.git', 'https://github.com/linkerd/workshop'],
    ['linkerd/workshop', 'https://github.com/linkerd/workshop'],
    ['github:linkerd/workshop', 'https://github.com/linkerd/workshop'],
    ['gitlab:linkerd/workshop', 'https://gitlab.com/linkerd/workshop'],
    ['bitbucket:linkerd/workshop', 'https://bitbucket.org/linkerd/workshop'],
  ])('reads %j as %s', (field, url) => {
    expect(repositoryAddress(field)).toEqual({
      state: 'set',
      url,
      label: url.replace('https://', ''),
    })
  })

  it.each([
    [
      { type: 'git', url: 'https://github.com/<owner>/<repo>' },
      '"repository" is still a placeholder (https://github.com/<owner>/<repo>): put the real address there',
    ],
    [{ type: 'git' }, '"repository" has no "url"'],
    [42, '"repository" must be a string or {"type": "git", "url": "https://..."}'],
    ['http://example.org/workshop', '"repository" must be an https address attendees can open (http://example.org/workshop)'],
    ['https://github.com/', '"repository" names a host but no repository (https://github.com/)'],
    ['not an address', '"repository" is still a placeholder (not an address): put the real address there'],
    ['nothing-here', '"repository" is not an address (nothing-here)'],
  ])('refuses %j', (field, reason) => {
    expect(repositoryAddress(field)).toEqual({ state: 'invalid', reason })
  })
})

describe('the handout\'s file name', () => {
  it('is made from the headmatter\'s exportFilename, like the slides PDF\'s', () => {
    expect(handoutFileName('what-really-happens-at-startup')).toBe('what-really-happens-at-startup-handout.pdf')
    expect(handoutFileName(undefined)).toBe('slides-export-handout.pdf')
  })
})

describe('the QR code, made at build time', () => {
  it('draws each run of dark modules as one rectangle, inside a quiet zone of four modules', () => {
    const modules = {
      size: 3,
      dark: (row: number, column: number) => row === 1 ? column !== 1 : column === 2,
    }
    expect(qrSvg(modules)).toEqual({
      size: 3 + 2 * QR_QUIET_ZONE,
      path: 'M6 4h1v1h-1zM4 5h1v1h-1zM6 5h1v1h-1zM6 6h1v1h-1z',
    })
  })

  it.each([
    FIXTURE_URL,
    'https://github.com/o/r',
    'https://gitlab.example.org/service-mesh-academy/what-really-happens-at-startup-deep-dive-workshop',
  ])('decodes to exactly %s', (url) => {
    expect(decodeQr(qrCodeOf(url))).toBe(url)
  })
})

describe('what the build hands the slides', () => {
  it('has the link and a QR code of exactly that address when it is set', () => {
    const links = attendeeLinks(repositoryAddress({ type: 'git', url: `git+${FIXTURE_URL}.git` }), 'attendee-links-fixture')
    expect(links.repository?.url).toBe(FIXTURE_URL)
    expect(links.repository?.label).toBe('github.com/example-owner/attendee-links-fixture')
    expect(decodeQr(links.repository!.qr)).toBe(FIXTURE_URL)
    expect(links.guide).toBe('WORKSHOP.md')
    expect(links.handout).toBe('attendee-links-fixture-handout.pdf')
  })

  it('has no link and no QR code while it is unset or unusable', () => {
    expect(attendeeLinks({ state: 'unset' }, 'x').repository).toBeNull()
    expect(attendeeLinks(repositoryAddress('https://github.com/<owner>/<repo>'), 'x').repository).toBeNull()
  })

  it('is served as virtual:attendee-links from the package.json nearest the deck', async () => {
    const plugin = attendeeLinksPlugin({
      userRoot: fixture('with-address'),
      data: {
        headmatter: { exportFilename: 'attendee-links-fixture' },
      },
    })
    const resolveId = plugin.resolveId as (id: string) => string | undefined
    const load = plugin.load as (this: { addWatchFile: (file: string) => void }, id: string) => string | undefined
    const id = resolveId(ATTENDEE_LINKS_MODULE)!
    expect(resolveId('vue')).toBeUndefined()
    const watched: string[] = []
    const code = load.call({
      addWatchFile: file => watched.push(file),
    }, id)!
    expect(watched).toEqual([join(fixture('with-address'), 'package.json')])
    const links = JSON.parse(code.replace(/^export default /, ''))
    expect(links).toEqual(attendeeLinks(repositoryAddress({ url: `git+${FIXTURE_URL}.git` }), 'attendee-links-fixture'))
    expect(findPackageJson(join(fixture('with-address'), 'components'))).toBe(join(fixture('with-address'), 'package.json'))
    expect(findPackageJson(repo)).toBe(join(repo, 'package.json'))
  })

  it('says "address to be announced" while unset', () => {
    expect(ADDRESS_TO_BE_ANNOUNCED).toBe('address to be announced')
  })
})

describe('the deck check\'s view of it', () => {
  it('passes with an address, in both modes', () => {
    expect(repositoryCheck(fixture('with-address'), { beforeTalk: false })).toEqual({ problems: [], notices: [] })
    expect(repositoryCheck(fixture('with-address'), { beforeTalk: true })).toEqual({ problems: [], notices: [] })
  })

  it('without one: a notice in the ordinary run, a problem before the talk, each naming what to set', () => {
    expect(REPOSITORY_MISSING).toBe('package.json: set "repository": {"type": "git", "url": "https://github.com/<owner>/<repo>"} (the address attendees should open)')
    expect(repositoryCheck(fixture('without-address'), { beforeTalk: false })).toEqual({
      problems: [],
      notices: [`notice: ${REPOSITORY_MISSING}; until then the slides say "address to be announced" and show no QR code (npm run check:deck -- --before-talk fails on this)`],
    })
    expect(repositoryCheck(fixture('without-address'), { beforeTalk: true })).toEqual({
      problems: [REPOSITORY_MISSING],
      notices: [],
    })
  })

  it('an unusable address (the example copied as it is) is a problem in both modes', () => {
    const root = mkdtempSync(join(tmpdir(), 'attendee-links-'))
    writeFileSync(join(root, 'package.json'), JSON.stringify({
      repository: { type: 'git', url: 'https://github.com/<owner>/<repo>' },
    }))
    const problem = 'package.json: "repository" is still a placeholder (https://github.com/<owner>/<repo>): put the real address there'
    expect(repositoryCheck(root, { beforeTalk: false })).toEqual({
      problems: [problem],
      notices: [],
    })
    expect(repositoryCheck(root, { beforeTalk: true })).toEqual({
      problems: [problem],
      notices: [],
    })
  })
})

describe('npm run check:deck and --before-talk', () => {
  const checkDeck = (...args: string[]) => execa('tsx', ['scripts/check-deck.ts', ...args], { cwd: repo, preferLocal: true, reject: false })

  it('without an address: passes with a notice, and fails before the talk with what to set', async () => {
    const entry = join(fixture('without-address'), 'slides.md')
    const ordinary = await checkDeck(entry)
    expect(ordinary.exitCode).toBe(0)
    expect(ordinary.stderr).toBe('')
    expect(ordinary.stdout.split('\n')).toEqual([
      `notice: ${REPOSITORY_MISSING}; until then the slides say "address to be announced" and show no QR code (npm run check:deck -- --before-talk fails on this)`,
      'slides.md: 2 slides, 0 problem(s), 1 notice(s)',
    ])
    const beforeTalk = await checkDeck(entry, '--before-talk')
    expect(beforeTalk.exitCode).toBe(1)
    expect(beforeTalk.stderr).toBe(REPOSITORY_MISSING)
    expect(beforeTalk.stdout).toBe('slides.md: 2 slides, 1 problem(s) (before the talk)')
  })

  it('with an address: passes in both modes, with no notice', async () => {
    const entry = join(fixture('with-address'), 'slides.md')
    for (const args of [[entry], [entry, '--before-talk']]) {
      const result = await checkDeck(...args)
      expect(result.exitCode).toBe(0)
      expect(result.stdout).not.toContain('notice')
    }
  })

  it('refuses an unknown option with its usage (exit 2)', async () => {
    const result = await checkDeck('slides.md', '--before-the-talk')
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('usage: npm run check:deck [-- --before-talk]')
  })
})

describe('the talk', () => {
  it('says where to find it all on an opening slide and on its last slide', async () => {
    const deck = await readDeck(join(repo, 'slides.md'))
    const firstPart = deck.slides.findIndex((slide, index) => index > 0 && slide.frontmatter.budget !== undefined)
    const opening = deck.slides.slice(0, firstPart)
    expect(opening.filter(slide => /<RepoLink\b/.test(slide.content)).map(slide => slide.title)).toEqual(['Follow along'])
    expect(deck.slides.at(-1)!.content).toMatch(/<RepoLink compact\b/)
  })
})
