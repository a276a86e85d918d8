import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CNI_PLATFORMS, cniSlideAlias } from '../../model/cni-platforms'
import { readDeck } from '../../scripts/core/deck-source'

const entry = fileURLToPath(new URL('../../slides.md', import.meta.url))
const SLOTS = ['where', 'chaining', 'init', 'failure']

describe('the "Your CNI" overview and its slides', () => {
  it('gives every platform in the table a slide, and every platform slide a row', async () => {
    const deck = await readDeck(entry)
    const aliases = deck.slides.map(slide => slide.frontmatter.routeAlias).filter(Boolean)
    for (const platform of CNI_PLATFORMS)
      expect(aliases, platform.name).toContain(cniSlideAlias(platform))

    const platformSlides = deck.slides.filter(slide => slide.frontmatter.layout === 'cni-platform')
    expect(platformSlides.map(slide => slide.frontmatter.routeAlias).sort())
      .toEqual(CNI_PLATFORMS.filter(p => p.id !== 'kindnet').map(cniSlideAlias).sort())
  })

  it('answers all four questions on every platform slide', async () => {
    const deck = await readDeck(entry)
    for (const slide of deck.slides.filter(s => s.frontmatter.layout === 'cni-platform')) {
      const filled = [...slide.content.matchAll(/^::(\w+)::\s*$/gm)].map(match => match[1])
      expect(filled, `${slide.file}:${slide.line}`).toEqual(SLOTS)
    }
  })

  it('keeps the table cells short enough to read from the back of the room', () => {
    for (const platform of CNI_PLATFORMS) {
      expect(platform.name.length, platform.name).toBeLessThanOrEqual(20)
      expect(platform.set.length, platform.name).toBeLessThanOrEqual(30)
    }
  })
})
