import { PDFDocument, StandardFonts } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { multiply, parseToUnicode, readTextRuns, smallestPerPage, smallTextProblems, tokenize } from '../../scripts/export/pdf-text-sizes'

describe('reading a content stream', () => {
  it('takes strings with escapes and brackets, hex, arrays, inline dicts and comments', () => {
    const tokens = tokenize(new TextEncoder().encode([
      '% a comment',
      'BT /F1 12 Tf (a \\(b\\) c\\051) Tj',
      '[<0041> -20 (B)] TJ',
      '/Span <</ActualText <FEFF2019> >> BDC EMC ET',
    ].join('\n')))
    expect(tokens.map(token => token.op)).toEqual(['BT', 'Tf', 'Tj', 'TJ', 'BDC', 'EMC', 'ET'])
    expect(tokens[1]!.operands).toEqual([{ name: 'F1' }, 12])
    expect(new TextDecoder().decode((tokens[2]!.operands[0] as { bytes: Uint8Array }).bytes)).toBe('a (b) c)')
    const array = tokens[3]!.operands[0] as unknown[]
    expect(array).toHaveLength(3)
    expect(array[1]).toBe(-20)
    expect(tokens[4]!.operands[1]).toHaveProperty('dict.ActualText')
  })

  it('concatenates matrices as PDF does (row vectors)', () => {
    expect(multiply([2, 0, 0, 2, 0, 0], [1, 0, 0, 1, 10, 20])).toEqual([2, 0, 0, 2, 10, 20])
    expect(multiply([1, 0, 0, 1, 5, 5], [0.5, 0, 0, 0.5, 0, 0])).toEqual([0.5, 0, 0, 0.5, 2.5, 2.5])
  })

  it('maps codes to text with a ToUnicode CMap', () => {
    const map = parseToUnicode([
      'begincodespacerange <0000> <FFFF> endcodespacerange',
      '2 beginbfchar <0003> <0020> <0011> <2019> endbfchar',
      '1 beginbfrange <0024> <0026> <0041> endbfrange',
    ].join('\n'))
    expect(map.codeBytes).toBe(2)
    expect([0x03, 0x11, 0x24, 0x26].map(code => map.map.get(code))).toEqual([' ', '\u2019', 'A', 'C'])
  })
})

describe('printed text sizes', () => {
  it('are the font size times every scale around the text, placed pages included', async () => {
    const document = await PDFDocument.create()
    const font = await document.embedFont(StandardFonts.Helvetica)
    const first = document.addPage([595, 842])
    first.drawText('Small text', { x: 50, y: 700, size: 8.6, font })
    first.drawText('Body text', { x: 50, y: 600, size: 9.4, font })
    const placed = await document.embedPage(first)
    document.addPage([595, 842]).drawPage(placed, {
      x: 20,
      y: 20,
      xScale: 0.5,
      yScale: 0.5,
    })
    const runs = await readTextRuns(await document.save())
    expect(runs.map(run => [run.page, Number(run.pt.toFixed(2)), run.text])).toEqual([
      [1, 8.6, 'Small text'],
      [1, 9.4, 'Body text'],
      [2, 4.3, 'Small text'],
      [2, 4.7, 'Body text'],
    ])
    expect(smallestPerPage(runs)).toEqual(new Map([[1, 8.6], [2, 4.3]]))
    expect(smallTextProblems(runs, 9)).toEqual([
      'page 2 has text at 4.3 pt, under the 9 pt minimum: "Small text"',
      'page 2 has text at 4.7 pt, under the 9 pt minimum: "Body text"',
      'page 1 has text at 8.6 pt, under the 9 pt minimum: "Small text"',
    ])
  })
})
