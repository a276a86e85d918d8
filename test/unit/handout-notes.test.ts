import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readDeck } from '../../scripts/core/deck-source'
import { planHandout, sectionTitles } from '../../scripts/export/handout'
import { handoutNotes, inlineHtml, isPresenterOnly, notesPlainText, sentences, withoutTimeMark } from '../../scripts/export/handout-notes'
import { slideOf } from './deck-fixture'

const repo = fileURLToPath(new URL('../..', import.meta.url))

describe('handout notes', () => {
  it('drop the time mark the notes end with, and only that', () => {
    expect(withoutTimeMark('Point at the table. (1.5 min)')).toBe('Point at the table.')
    expect(withoutTimeMark('Point at it.\n(1 min)\n')).toBe('Point at it.')
    expect(withoutTimeMark('Two (2 min) marks, the last one goes. (0.25 min)')).toBe('Two (2 min) marks, the last one goes.')
    expect(withoutTimeMark('No mark here.')).toBe('No mark here.')
  })

  it('split into sentences, not at "e.g." or inside a version number', () => {
    expect(sentences('Linkerd 2.20 is here. linkerd-init runs first! Why? Because, e.g. Jobs end.')).toEqual([
      'Linkerd 2.20 is here.',
      'linkerd-init runs first!',
      'Why?',
      'Because, e.g. Jobs end.',
    ])
    expect(sentences('One line\nwrapped. Next.')).toEqual(['One line wrapped.', 'Next.'])
  })

  it('leave out the presenter\'s run instructions and keep what to look at', () => {
    const notes = handoutNotes([
      'Staged on startup-init: a-default-install/01-use-context and 02-install-crds.',
      'On stage, press the run control on 07-containers. Point at the order: linkerd-init first.',
      'Then 13-conflist, whose run first runs the hidden 12-cni-dir. Run d-cni-broken/10-repair-cni.',
      '',
      'Attendees who follow along use `npm run demo -- <scenario>`. (1.75 min)',
    ].join('\n'))
    expect(notes.paragraphs).toEqual([
      'Point at the order: linkerd-init first.',
      'Attendees who follow along use `npm run demo -- <scenario>`.',
    ])
    expect(notes.dropped).toEqual([
      'Staged on startup-init: a-default-install/01-use-context and 02-install-crds.',
      'On stage, press the run control on 07-containers.',
      'Then 13-conflist, whose run first runs the hidden 12-cni-dir.',
      'Run d-cni-broken/10-repair-cni.',
    ])
  })

  it('treat pacing as the presenter\'s business', () => {
    expect(isPresenterOnly('Budget: 2 minutes, then five for questions.')).toBe(true)
    expect(isPresenterOnly('The appendix is outside the hour: the pacing check counts none of it.')).toBe(true)
    expect(isPresenterOnly('The pods we break later were staged long ago.')).toBe(false)
  })

  it('print `code` and **bold**, and escape the rest', () => {
    expect(inlineHtml('Run `a <b> & c` with **care** < 5')).toBe('Run <code>a &lt;b&gt; &amp; c</code> with <strong>care</strong> &lt; 5')
    expect(notesPlainText(['Use `kubectl` **now**.', 'Then wait.'])).toBe('Use kubectl now.\n\nThen wait.')
  })
})

describe('the handout of this deck', async () => {
  const deck = await readDeck(join(repo, 'slides.md'))
  const plan = planHandout(deck.slides)

  it('has notes under every slide, none with its time mark or a run instruction left', () => {
    expect(plan.withoutNotes.map(slide => slide.no)).toEqual([])
    expect(plan.pages).toHaveLength(deck.slides.length)
    for (const [index, text] of plan.notesText.entries()) {
      const slide = deck.slides[index]!
      expect(text, `slide ${slide.no}`).not.toMatch(/\(\d+(?:\.\d+)? min\)\s*$/)
      expect(text, `slide ${slide.no}`).not.toMatch(/run control|^Staged\b|\bOn stage:/m)
    }
  })

  it('leaves out run instructions only on the hands-on slides and the appendix opener', () => {
    const sections = sectionTitles(deck.slides)
    for (const { slide, sentences } of plan.dropped) {
      const section = sections.get(slide.no)
      const where = section === 'Hands-on on kind' || (slide.frontmatter.appendix === true) || slide.frontmatter.layout === 'section'
      expect(where, `slide ${slide.no} "${slide.title}" (${section}): ${sentences.join(' | ')}`).toBe(true)
    }
  })

  it('keeps what attendees need: how to follow along and clean up', () => {
    const all = plan.notesText.join('\n')
    expect(all).toContain('Attendees who follow along on their own clusters use npm run demo')
    expect(all).toContain('attendees use cleanup/01-delete-clusters.sh')
  })

  it('captions each page with the slide\'s number and its part', () => {
    expect(plan.pages[0]!.caption).toBe(`Slide 1 of ${deck.slides.length} · What really happens at startup`)
    const opener = deck.slides.find(slide => slide.title === 'The container model')!
    expect(plan.pages[opener.no]!.caption).toBe(`Slide ${opener.no + 1} of ${deck.slides.length} · The container model`)
  })
})

describe('a slide with only run instructions in its notes', () => {
  it('is reported, not printed with nothing under it', () => {
    const slide = slideOf(1, 'Staged', { notes: 'Staged: a/01-x and a/02-y. On stage: run 03-z. (1 min)' })
    expect(planHandout([slide]).withoutNotes).toEqual([slide])
  })
})
