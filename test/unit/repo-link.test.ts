// @vitest-environment node
import type { AttendeeLinks } from '../../model/attendee-links'
import { Window } from 'happy-dom'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSSRApp } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { repositoryAddress } from '../../model/attendee-links'
import { attendeeLinks } from '../../scripts/deck/attendee-links'
import { decodeQr } from './qr-raster'

// <RepoLink> with what the build hands it (virtual:attendee-links, made here by the same code
// the Vite plugin runs), with and without package.json's repository. Rendered with Vue's server
// renderer in the node environment: there a module the build provides can be stood in for with
// vi.doMock (the DOM environment resolves every import first, and no file holds this one).

const URL_SET = 'https://github.com/example-owner/attendee-links-fixture'

async function renderWith(links: AttendeeLinks, props: { compact?: boolean } = {}): Promise<Document> {
  vi.resetModules()
  vi.doMock('virtual:attendee-links', () => ({ default: links }))
  const { default: RepoLink } = await import('../../components/RepoLink.vue')
  const html = await renderToString(createSSRApp(RepoLink, props))
  const { document } = new Window()
  document.body.innerHTML = html
  return document as unknown as Document
}

const text = (element: Element | null) => element?.textContent?.replace(/\s+/g, ' ').trim()

afterEach(() => {
  vi.doUnmock('virtual:attendee-links')
})

describe('repoLink', () => {
  for (const compact of [false, true]) {
    it(`with the address: a link and a QR code of exactly that address${compact ? ' (compact, the last slide)' : ''}`, async () => {
      const view = await renderWith(attendeeLinks(repositoryAddress({ type: 'git', url: `git+${URL_SET}.git` }), 'what-really-happens-at-startup'), { compact })
      const link = view.querySelector('a.repo-link__address')!
      expect(link.getAttribute('href')).toBe(URL_SET)
      expect(text(link)).toBe('github.com/example-owner/attendee-links-fixture')
      expect(view.querySelector('.repo-link__tba')).toBeNull()
      const svg = view.querySelector('.repo-link__qr svg')!
      expect(svg.getAttribute('aria-label')).toBe(`QR code: ${URL_SET}`)
      const [, , width, height] = svg.getAttribute('viewBox')!.split(' ').map(Number)
      expect(width).toBe(height)
      expect(svg.querySelector('rect')!.getAttribute('fill')).toBe('#fff')
      expect(svg.querySelector('path')!.getAttribute('fill')).toBe('#000')
      // What a phone reads from the path the slide draws.
      expect(decodeQr({
        size: width!,
        path: svg.querySelector('path')!.getAttribute('d')!,
      })).toBe(URL_SET)
      expect(text(view.querySelector('.repo-link__guide'))).toContain('WORKSHOP.md at the repository\'s root')
      expect(text(view.querySelector('.repo-link__handout'))).toContain('what-really-happens-at-startup-handout.pdf')
      expect(text(view.querySelector('.repo-link__handout'))).toContain('npm run export:handout')
    })
  }

  for (const compact of [false, true]) {
    it(`without it: "address to be announced", no link and no QR code${compact ? ' (compact)' : ''}`, async () => {
      const view = await renderWith(attendeeLinks({ state: 'unset' }, 'what-really-happens-at-startup'), { compact })
      expect(text(view.querySelector('.repo-link__tba'))).toBe('address to be announced')
      expect(view.querySelector('a')).toBeNull()
      expect(view.querySelector('svg')).toBeNull()
      expect(view.querySelector('.repo-link__qr')).toBeNull()
      expect(text(view.querySelector('.repo-link__guide'))).toContain('WORKSHOP.md')
      expect(text(view.querySelector('.repo-link__handout'))).toContain('what-really-happens-at-startup-handout.pdf')
    })
  }
})
