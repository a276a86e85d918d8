import { describe, expect, it } from 'vitest'
import { checkBase, downloadLabel, landingPage, pagesBase, SiteInputError, slidePageNames } from '../../scripts/pages/site'
import { parseArtifacts, reviewSummary, siteSummary } from '../../scripts/pages/summary'

describe('the base path GitHub Pages serves a repository under', () => {
  it('is /<name>/ for a project site and / for the owner\'s own site', () => {
    expect(pagesBase('buoyant/what-really-happens-at-startup')).toBe('/what-really-happens-at-startup/')
    expect(pagesBase('someone/someone.github.io')).toBe('/')
  })

  it('refuses what is not owner/name, and a base that is not a path', () => {
    expect(() => pagesBase('just-a-name')).toThrow(SiteInputError)
    expect(() => pagesBase('a/b/c')).toThrow('a/b/c: give the repository as owner/name')
    expect(checkBase('/deck/')).toBe('/deck/')
    for (const bad of ['deck', '/deck', 'deck/', '/de ck/', '/../'])
      expect(() => checkBase(bad), bad).toThrow(SiteInputError)
  })
})

describe('the site\'s pages', () => {
  it('has one page per slide number and per route alias (a safe name only)', () => {
    const slides = [
      { no: 1, frontmatter: {} },
      {
        no: 2,
        frontmatter: { routeAlias: 'cni-calico' },
      },
      {
        no: 3,
        frontmatter: { routeAlias: '../escape' },
      },
    ]
    expect(slidePageNames({ slides } as never)).toEqual(['1', '2', '3', 'cni-calico'])
  })

  it('labels the exported PDFs by their names', () => {
    expect(downloadLabel('deck.pdf', 'deck')).toBe('Slides (PDF, one page per slide)')
    expect(downloadLabel('deck-handout.pdf', 'deck')).toBe('Handout (PDF: each slide with its speaker notes)')
    expect(downloadLabel('deck-cheat-sheet.pdf', 'deck')).toBe('Cheat sheet (PDF, one page)')
    expect(downloadLabel('notes.txt', 'deck')).toBe('notes.txt')
  })

  it('front page: relative links only (it works under any base), escaped text, no request off the site', () => {
    const html = landingPage({
      title: 'A <deck>',
      description: 'About "things"',
      slides: 12,
      commit: '0123456789abcdef',
      downloads: [
        { label: 'Slides (PDF)', href: 'deck.pdf', bytes: 2_500_000 },
        { label: 'Handout', href: 'deck-handout.pdf', bytes: 300 },
      ],
    })
    expect(html).toContain('<h1>A &lt;deck&gt;</h1>')
    expect(html).toContain('<a class="open" href="1">Open the deck (12 slides)</a>')
    expect(html).toContain('<li><a href="deck.pdf">Slides (PDF)</a> <span class="size">2.4 MB</span></li>')
    expect(html).toContain('<span class="size">1 kB</span>')
    expect(html).toContain('Built from commit 0123456789ab.')
    const addresses = [...html.matchAll(/(?:href|src)="([^"]*)"/g)].map(match => match[1]!)
    expect(addresses.filter(address => /^(?:[a-z]+:\/\/|\/)/.test(address))).toEqual([])
  })
})

describe('the job summaries', () => {
  it('links each uploaded artifact, says which did not upload, and carries the slide diff', () => {
    const text = reviewSummary({
      subject: 'pull request #7',
      artifacts: parseArtifacts(['Attendee PDF|https://github.com/o/r/actions/runs/1/artifacts/2|read it', 'Slide diff images||']),
      slideDiff: '## Slide diff: `main` → `HEAD`\n\nNo slide changed.\n',
    })
    expect(text).toBe([
      '# What this run made for review: pull request #7',
      '',
      '| Artifact | Download | Then |',
      '|---|---|---|',
      '| Attendee PDF | [download](https://github.com/o/r/actions/runs/1/artifacts/2) | read it |',
      '| Slide diff images | not uploaded (see the step\'s log) |  |',
      '',
      '## Slide diff: `main` → `HEAD`',
      '',
      'No slide changed.',
      '',
    ].join('\n'))
  })

  it('says so when there is no slide diff', () => {
    expect(reviewSummary({ subject: 'x', artifacts: [] })).toContain('_No slide diff in this run._')
  })

  it('the Pages build says where the slides and the downloads are', () => {
    const text = siteSummary({
      base: '/deck/',
      slides: 3,
      commit: 'abcdef0123456789',
      downloads: [{ label: 'Handout', href: 'deck-handout.pdf' }],
    })
    expect(text).toContain('## The deck as a site (commit abcdef012345)')
    expect(text).toContain('3 slides under `/deck/`: the front page at `/deck/`, slide N at `/deck/N`')
    expect(text).toContain('- Handout: `/deck/deck-handout.pdf`')
  })
})
