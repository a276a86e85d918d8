import type { Buffer } from 'node:buffer'
import type { SlideChange } from '../../scripts/slide-diff/compare'
import type { SlideFingerprint } from '../../scripts/slide-diff/fingerprint'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { fingerprint, textSimilarity } from '../../scripts/slide-diff/fingerprint'
import { matchSlides } from '../../scripts/slide-diff/match'
import { comparePngs } from '../../scripts/slide-diff/pixels'
import { markdownReport } from '../../scripts/slide-diff/report'

let line = 1
function slide(title: string, content = `${title} says what ${title} says, in several words of its own`, notes = ''): SlideFingerprint {
  return fingerprint({
    no: 0,
    title,
    file: 'slides.md',
    line: line++,
    content: `# ${title}\n\n${content}`,
    notes,
  })
}
function numbered(slides: SlideFingerprint[]): SlideFingerprint[] {
  return slides.map((s, i) => ({ ...s, no: i + 1 }))
}
function summary(before: SlideFingerprint[], after: SlideFingerprint[]): string[] {
  return matchSlides(numbered(before), numbered(after)).map(match => [
    match.kind,
    'before' in match ? match.before.title : '-',
    'after' in match ? match.after.title : '-',
  ].join(' '))
}

const [a, b, c, d] = ['A', 'B', 'C', 'D'].map(title => slide(title)) as [SlideFingerprint, SlideFingerprint, SlideFingerprint, SlideFingerprint]

describe('matching slides by content', () => {
  it('an unchanged deck matches slide for slide', () => {
    expect(summary([a, b, c], [a, b, c])).toEqual(['same A A', 'same B B', 'same C C'])
  })

  it('an inserted slide is added, and the slides after it are not reported as changed', () => {
    const x = slide('X', 'a new slide about something else entirely')
    expect(summary([a, b, c], [a, x, b, c])).toEqual(['same A A', 'added - X', 'same B B', 'same C C'])
  })

  it('a removed slide is removed, the rest stay matched', () => {
    expect(summary([a, b, c, d], [a, c, d])).toEqual(['same A A', 'removed B -', 'same C C', 'same D D'])
  })

  it('an edited slide (same title, new words) is paired with its old self', () => {
    const edited = slide('B', 'entirely new wording, nothing in common')
    expect(summary([a, b, c], [a, edited, c])).toEqual(['same A A', 'edited B B', 'same C C'])
  })

  it('a retitled slide with most of its words kept is an edit; one with nothing in common is a removal and an addition', () => {
    const retitled = slide('B2', b.words.slice(1).join(' '))
    expect(summary([a, b, c], [a, retitled, c])).toEqual(['same A A', 'edited B B2', 'same C C'])
    const other = slide('Z', 'unrelated')
    expect(summary([a, b, c], [a, other, c])).toEqual(['same A A', 'removed B -', 'added - Z', 'same C C'])
  })

  it('edit, insertion and removal in one change are told apart', () => {
    const edited = slide('B', 'reworded')
    const x = slide('X', 'new')
    expect(summary([a, b, c, d], [a, edited, x, d])).toEqual([
      'same A A',
      'edited B B',
      'removed C -',
      'added - X',
      'same D D',
    ])
  })

  it('a slide moved past others is reported as moved, not as removed and added', () => {
    expect(summary([a, b, c, d], [a, c, d, b])).toEqual(['same A A', 'same C C', 'same D D', 'moved B B'])
  })

  it('notes are not part of the match: a notes-only change is still the same slide', () => {
    const withNotes = { ...b, notes: 'say this instead' }
    expect(summary([a, b], [a, withNotes])).toEqual(['same A A', 'same B B'])
  })

  it('similarity is the share of words in common', () => {
    expect(textSimilarity(['a', 'b'], ['a', 'b'])).toBe(1)
    expect(textSimilarity(['a', 'b'], ['c', 'd'])).toBe(0)
    expect(textSimilarity(['a', 'a', 'b'], ['a', 'c', 'd'])).toBeCloseTo(2 / 6)
  })
})

function png(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): Buffer {
  const image = new PNG({ width, height })
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y)
      const i = (y * width + x) * 4
      image.data[i] = r
      image.data[i + 1] = g
      image.data[i + 2] = b
      image.data[i + 3] = 255
    }
  }
  return PNG.sync.write(image)
}

describe('comparing renderings pixel by pixel', () => {
  const white = png(20, 10, () => [255, 255, 255])

  it('finds no difference between identical images', () => {
    expect(comparePngs(white, white).changedPixels).toBe(0)
  })

  it('counts the pixels that differ and marks them in the diff image', () => {
    const block = png(20, 10, (x, y) => x < 4 && y < 5 ? [0, 0, 0] : [255, 255, 255])
    const result = comparePngs(white, block)
    expect(result.changedPixels).toBe(20)
    expect(result.ratio).toBeCloseTo(20 / 200)
    const diff = PNG.sync.read(result.diffPng)
    expect([...diff.data.subarray(0, 3)]).toEqual([255, 0, 0])
  })

  it('compares images of different sizes (the missing part counts as changed)', () => {
    const wider = png(25, 10, () => [255, 255, 255])
    expect(comparePngs(white, wider).changedPixels).toBe(50)
  })
})

describe('the Markdown report', () => {
  const base = { ref: 'main', sha: '1111111aaaa' }
  const head = { ref: 'HEAD', sha: '2222222bbbb' }
  const unchanged = (s: SlideFingerprint): SlideChange => ({
    verdict: 'unchanged',
    match: 'same',
    before: s,
    after: s,
    clickSteps: { before: 1, after: 1 },
    states: [],
    notesChanged: false,
  })

  it('says so when no slide changed', () => {
    const text = markdownReport({
      base,
      head,
      minChangedRatio: 0.0005,
      changes: [unchanged(a), unchanged(b)],
    })
    expect(text).toContain('## Slide diff: `main` (1111111) → `HEAD` (2222222)')
    expect(text).toContain('No slide changed: all 2 look the same at every click step (threshold 0.05% of pixels).')
    expect(text).not.toContain('| changed')
  })

  it('lists each changed, added and removed slide with where it is and its images', () => {
    const text = markdownReport({
      base,
      head,
      minChangedRatio: 0.0005,
      changes: [
        unchanged(a),
        {
          verdict: 'changed',
          match: 'edited',
          before: { ...b, no: 2 },
          after: { ...b, no: 2, title: 'B | new' },
          clickSteps: { before: 2, after: 3 },
          states: [
            {
              clicks: 1,
              ratio: 0.0123,
              before: 'images/x.before.png',
              after: 'images/x.after.png',
              diff: 'images/x.diff.png',
            },
            { clicks: 2, ratio: 1, after: 'images/y.after.png' },
          ],
          notesChanged: true,
        },
        {
          verdict: 'added',
          match: 'added',
          after: { ...c, no: 3 },
          clickSteps: { before: 0, after: 1 },
          states: [{ clicks: 0, ratio: 1, after: 'images/z.after.png' }],
          notesChanged: false,
        },
        {
          verdict: 'removed',
          match: 'removed',
          before: { ...d, no: 4 },
          clickSteps: { before: 1, after: 0 },
          states: [],
          notesChanged: false,
        },
      ],
    })
    expect(text).toContain('1 changed, 1 added, 1 removed; 1 unchanged')
    expect(text).toContain('| changed | 2 → 2 | B \\| new (`slides.md:')
    expect(text).toContain('clicks 1 → 2; click 1: 1.2% of pixels; retitled from "B"; speaker notes changed | `images/x.before.png` `images/x.after.png` `images/x.diff.png` `images/y.after.png` |')
    expect(text).toContain('| added | – → 3 | C')
    expect(text).toContain('| removed | 4 → – | D')
  })

  it('lists a slide whose notes alone changed', () => {
    const text = markdownReport({
      base,
      head,
      minChangedRatio: 0.0005,
      changes: [
        {
          ...unchanged(a),
          notesChanged: true,
        },
      ],
    })
    expect(text).toContain('| notes | ')
  })
})
