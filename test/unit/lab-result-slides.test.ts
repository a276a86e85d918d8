import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import record from '../../model/rules/lab-result.json'
import { readDeck } from '../../scripts/core/deck-source'

const entry = fileURLToPath(new URL('../../slides.md', import.meta.url))

describe('the firewall lab\'s slides', () => {
  it('show every connection of the recorded run, each once, across the slides that split it', async () => {
    const deck = await readDeck(entry)
    const shown = deck.slides.flatMap(slide => [
      ...slide.content.matchAll(/<LabResult\s+:only="\[([^\]]*)\]"/g),
    ]
      .flatMap(match => [...match[1]!.matchAll(/'([^']+)'/g)].map(id => id[1]!)))
    const recorded = record.passes[0]!.rows.map(row => row.id)
    expect([...shown].sort()).toEqual([...recorded].sort())
  })
})
