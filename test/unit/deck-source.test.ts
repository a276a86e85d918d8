import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { lineOf, plainTitle, readDeck } from '../../scripts/core/deck-source'

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/bad-input/${name}`, import.meta.url))

describe('plainTitle', () => {
  it('keeps the words a PDF text layer will hold', () => {
    expect(plainTitle('From `kubectl apply` to running containers')).toBe('From kubectl apply to running containers')
    expect(plainTitle('The **native** sidecar <span class="x">mode</span>')).toBe('The native sidecar mode')
    expect(plainTitle('See [KEP-753](https://example.invalid)')).toBe('See KEP-753')
    expect(plainTitle(undefined)).toBe('')
  })
})

describe('readDeck', () => {
  it('numbers slides and points each at the line of its title', async () => {
    const deck = await readDeck(fixture('missing-snippet.md'))
    expect(deck.slides.map(slide => [slide.no, slide.title, slide.file, slide.line])).toEqual([
      [1, 'A slide', 'missing-snippet.md', 5],
      [2, 'A slide importing a snippet that does not exist', 'missing-snippet.md', 13],
      [3, 'A terminal for a step that exists, and one for a step that does not', 'missing-snippet.md', 21],
      [4, 'A stepper without its clicks', 'missing-snippet.md', 31],
    ])
    expect(deck.slides[1]!.notes).toBe('notes')
  })

  it('locates text inside a slide by its line in the file', async () => {
    const deck = await readDeck(fixture('missing-snippet.md'))
    expect(lineOf(deck.slides[1]!, 'absent.sh')).toBe(15)
    expect(lineOf(deck.slides[1]!, 'text that is not there')).toBe(13)
  })

  it('reports malformed frontmatter with its file and line', async () => {
    const deck = await readDeck(fixture('bad-frontmatter.md'))
    expect(deck.slides[0]!.frontmatterErrors).toEqual([])
    const [error] = deck.slides[1]!.frontmatterErrors
    expect(error).toMatchObject({ file: 'bad-frontmatter.md', line: 12 })
    expect(error!.message).toMatch(/^malformed frontmatter: Flow sequence/)
  })

  it('reads the talk itself', async () => {
    const deck = await readDeck(fileURLToPath(new URL('../../slides.md', import.meta.url)))
    expect(deck.headmatter.exportFilename).toBe('what-really-happens-at-startup')
    expect(deck.slides[0]!.title).toBe('What really happens at startup')
    expect(deck.slides.length).toBeGreaterThan(10)
  })
})
