import * as pdfLib from 'pdf-lib'

// How big each piece of text in a PDF prints: the size set by `Tf`, times the vertical scale of
// the text matrix and of every `cm` and form XObject around it (a slide placed on paper is one).
// Poppler's tools only give rounded sizes (pdftohtml) or boxes that depend on each font's ascent
// (pdftotext -bbox), so this reads the page content itself.

export interface TextRun {
  /** 1-based page number. */
  page: number
  /** The size the text prints at, in points (1/72 inch) of the page. */
  pt: number
  /** The text, through the font's ToUnicode map where it has one. */
  text: string
}

type Matrix = [number, number, number, number, number, number]
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0]

/** `m` then `n`: PDF matrices act on row vectors, so this is m × n. */
export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ]
}

/** How long a vertical unit becomes: the printed height of 1pt of font size. */
function verticalScale(m: Matrix): number {
  return Math.hypot(m[2], m[3])
}

type Operand = number | string | boolean | null | { name: string } | { bytes: Uint8Array } | Operand[] | { dict: Record<string, Operand> }
interface Token { op: string, operands: Operand[] }

const WHITE = new Set([0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20])
const DELIMITERS = new Set([...'()<>[]{}/%'].map(c => c.charCodeAt(0)))

/** A content stream as operators with their operands; inline images are skipped. */
export function tokenize(data: Uint8Array): Token[] {
  const tokens: Token[] = []
  let i = 0
  let operands: Operand[] = []
  const stack: Operand[][] = []
  const push = (value: Operand): void => {
    operands.push(value)
  }
  const regular = (): string => {
    const start = i
    while (i < data.length && !WHITE.has(data[i]!) && !DELIMITERS.has(data[i]!))
      i++
    return String.fromCharCode(...data.subarray(start, i))
  }
  while (i < data.length) {
    const c = data[i]!
    if (WHITE.has(c)) {
      i++
    }
    else if (c === 0x25) { // % comment
      while (i < data.length && data[i] !== 0x0A && data[i] !== 0x0D)
        i++
    }
    else if (c === 0x2F) { // /Name
      i++
      push({
        name: regular(),
      })
    }
    else if (c === 0x28) { // (literal string)
      i++
      const bytes: number[] = []
      let depth = 1
      while (i < data.length) {
        const b = data[i++]!
        if (b === 0x5C) {
          const e = data[i++]!
          const simple: Record<number, number> = {
            0x6E: 0x0A,
            0x72: 0x0D,
            0x74: 0x09,
            0x62: 0x08,
            0x66: 0x0C,
          }
          if (simple[e] !== undefined) {
            bytes.push(simple[e]!)
          }
          else if (e >= 0x30 && e <= 0x37) {
            let octal = e - 0x30
            for (let k = 0; k < 2 && data[i]! >= 0x30 && data[i]! <= 0x37; k++)
              octal = octal * 8 + (data[i++]! - 0x30)
            bytes.push(octal & 0xFF)
          }
          else if (e === 0x0D || e === 0x0A) {
            if (e === 0x0D && data[i] === 0x0A)
              i++
          }
          else {
            bytes.push(e)
          }
          continue
        }
        if (b === 0x28)
          depth++
        if (b === 0x29 && --depth === 0)
          break
        bytes.push(b)
      }
      push({
        bytes: new Uint8Array(bytes),
      })
    }
    else if (c === 0x3C && data[i + 1] === 0x3C) { // << dict
      i += 2
      stack.push(operands)
      operands = []
    }
    else if (c === 0x3E && data[i + 1] === 0x3E) { // >>
      i += 2
      const entries: Record<string, Operand> = {}
      for (let k = 0; k + 1 < operands.length; k += 2) {
        const key = operands[k]
        if (key && typeof key === 'object' && 'name' in key)
          entries[key.name] = operands[k + 1]!
      }
      operands = stack.pop() ?? []
      push({ dict: entries })
    }
    else if (c === 0x3C) { // <hex>
      const end = data.indexOf(0x3E, i)
      const hex = String.fromCharCode(...data.subarray(i + 1, end)).replace(/\s+/g, '')
      const padded = hex.length % 2 ? `${hex}0` : hex
      const bytes = new Uint8Array(padded.length / 2)
      for (let k = 0; k < bytes.length; k++)
        bytes[k] = Number.parseInt(padded.slice(2 * k, 2 * k + 2), 16)
      push({ bytes })
      i = end + 1
    }
    else if (c === 0x5B) { // [
      i++
      stack.push(operands)
      operands = []
    }
    else if (c === 0x5D) { // ]
      i++
      const array = operands
      operands = stack.pop() ?? []
      push(array)
    }
    else {
      const word = regular()
      if (word === '') {
        i++ // a stray delimiter: { } ) >
        continue
      }
      if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(word)) {
        push(Number(word))
      }
      else if (word === 'true' || word === 'false') {
        push(word === 'true')
      }
      else if (word === 'null') {
        push(null)
      }
      else if (stack.length) {
        push(word) // an operator-like word inside an array or dict: keep it as a value
      }
      else {
        tokens.push({ op: word, operands })
        operands = []
        if (word === 'ID') { // inline image data: skip to EI
          const text = String.fromCharCode(...data.subarray(i, Math.min(data.length, i + 1_000_000)))
          const end = text.search(/\sEI(?:\s|$)/)
          i = end < 0 ? data.length : i + end + 3
        }
      }
    }
  }
  return tokens
}

/** Code to text, from a ToUnicode CMap: `bfchar` and `bfrange` entries. */
export interface UnicodeMap { codeBytes: number, map: Map<number, string> }

function utf16(hex: string): string {
  const units: number[] = []
  for (let k = 0; k + 4 <= hex.length; k += 4)
    units.push(Number.parseInt(hex.slice(k, k + 4), 16))
  return String.fromCharCode(...units)
}

export function parseToUnicode(cmap: string): UnicodeMap {
  const map = new Map<number, string>()
  const space = /begincodespacerange\s*<([0-9a-f]+)>/i.exec(cmap)
  const codeBytes = space ? space[1]!.length / 2 : 1
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const entry of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]*)>/gi))
      map.set(Number.parseInt(entry[1]!, 16), utf16(entry[2]!))
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const entry of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(<[0-9a-f]*>|\[[^\]]*\])/gi)) {
      const low = Number.parseInt(entry[1]!, 16)
      const high = Number.parseInt(entry[2]!, 16)
      const target = entry[3]!
      if (target.startsWith('[')) {
        const targets = [...target.matchAll(/<([0-9a-f]*)>/gi)].map(m => utf16(m[1]!))
        for (let code = low; code <= high && code - low < targets.length; code++)
          map.set(code, targets[code - low]!)
      }
      else {
        const first = target.slice(1, -1)
        const base = utf16(first)
        for (let code = low; code <= high; code++)
          map.set(code, base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + code - low))
      }
    }
  }
  return { codeBytes, map }
}

interface FontInfo { unicode?: UnicodeMap, codeBytes: number }

function decodeText(bytes: Uint8Array, font: FontInfo | undefined): string {
  const width = font?.unicode?.codeBytes ?? font?.codeBytes ?? 1
  let text = ''
  for (let k = 0; k + width <= bytes.length; k += width) {
    let code = 0
    for (let b = 0; b < width; b++)
      code = code * 256 + bytes[k + b]!
    text += font?.unicode?.map.get(code) ?? (width === 1 ? String.fromCharCode(code) : '\uFFFD')
  }
  return text
}

function streamBytes(stream: pdfLib.PDFObject | undefined): Uint8Array {
  if (stream instanceof pdfLib.PDFRawStream)
    return pdfLib.decodePDFRawStream(stream).decode()
  if (stream instanceof pdfLib.PDFContentStream)
    return stream.getUnencodedContents()
  return new Uint8Array()
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length + 1, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    out[at + part.length] = 0x0A
    at += part.length + 1
  }
  return out
}

/** Every piece of text in a PDF with the size it prints at, page by page. */
export async function readTextRuns(pdf: Uint8Array): Promise<TextRun[]> {
  const document = await pdfLib.PDFDocument.load(pdf, { updateMetadata: false })
  const { context } = document
  const { PDFDict, PDFName, PDFArray, PDFNumber, PDFStream } = pdfLib
  const runs: TextRun[] = []
  const fonts = new Map<pdfLib.PDFDict, FontInfo>()

  const fontInfo = (dict: pdfLib.PDFDict): FontInfo => {
    let info = fonts.get(dict)
    if (!info) {
      const toUnicode = dict.lookup(PDFName.of('ToUnicode'))
      const subtype = dict.lookup(PDFName.of('Subtype'))
      info = {
        codeBytes: subtype === PDFName.of('Type0') ? 2 : 1,
        unicode: toUnicode instanceof PDFStream
          ? parseToUnicode(new TextDecoder('latin1').decode(streamBytes(toUnicode)))
          : undefined,
      }
      fonts.set(dict, info)
    }
    return info
  }

  const run = (content: Uint8Array, resources: pdfLib.PDFDict | undefined, start: Matrix, page: number, depth: number): void => {
    if (depth > 8)
      return
    let ctm = start
    let tm: Matrix = IDENTITY
    let tlm: Matrix = IDENTITY
    let font: FontInfo | undefined
    let size = 0
    let leading = 0
    const saved: Array<{ ctm: Matrix, font: FontInfo | undefined, size: number, leading: number }> = []
    const num = (value: Operand | undefined): number => typeof value === 'number' ? value : 0
    const show = (strings: Operand[]): void => {
      const text = strings.map(s => s && typeof s === 'object' && 'bytes' in s
        ? decodeText(s.bytes, font)
        : '').join('')
      if (text.trim() === '')
        return
      runs.push({ page, pt: Math.abs(size) * verticalScale(multiply(tm, ctm)), text })
    }
    const nextLine = (tx: number, ty: number): void => {
      tlm = multiply([1, 0, 0, 1, tx, ty], tlm)
      tm = tlm
    }
    for (const { op, operands } of tokenize(content)) {
      switch (op) {
        case 'q':
          saved.push({ ctm, font, size, leading })
          break
        case 'Q': {
          const state = saved.pop()
          if (state)
            ({ ctm, font, size, leading } = state)
          break
        }
        case 'cm':
          ctm = multiply(operands.map(num) as Matrix, ctm)
          break
        case 'BT':
          tm = IDENTITY
          tlm = IDENTITY
          break
        case 'Tf': {
          const name = operands[0]
          size = num(operands[1])
          const dict = name && typeof name === 'object' && 'name' in name
            ? resources?.lookupMaybe(PDFName.of('Font'), PDFDict)?.lookupMaybe(PDFName.of(name.name), PDFDict)
            : undefined
          font = dict ? fontInfo(dict) : undefined
          break
        }
        case 'TL':
          leading = num(operands[0])
          break
        case 'Tm':
          tm = operands.map(num) as Matrix
          tlm = tm
          break
        case 'Td':
          nextLine(num(operands[0]), num(operands[1]))
          break
        case 'TD':
          leading = -num(operands[1])
          nextLine(num(operands[0]), num(operands[1]))
          break
        case 'T*':
          nextLine(0, -leading)
          break
        case 'Tj':
          show(operands)
          break
        case '\'':
          nextLine(0, -leading)
          show(operands)
          break
        case '"':
          nextLine(0, -leading)
          show(operands.slice(2))
          break
        case 'TJ':
          show(Array.isArray(operands[0]) ? operands[0] : [])
          break
        case 'Do': {
          const name = operands[0]
          if (!(name && typeof name === 'object' && 'name' in name))
            break
          const xobject = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict)?.lookup(PDFName.of(name.name))
          if (!(xobject instanceof PDFStream) || xobject.dict.lookup(PDFName.of('Subtype')) !== PDFName.of('Form'))
            break
          const matrix = xobject.dict.lookupMaybe(PDFName.of('Matrix'), PDFArray)
          const m = matrix
            ? matrix.asArray().map((value) => {
              const n = context.lookup(value)
              return n instanceof PDFNumber ? n.asNumber() : 0
            }) as Matrix
            : IDENTITY
          const own = xobject.dict.lookupMaybe(PDFName.of('Resources'), PDFDict)
          run(streamBytes(xobject), own ?? resources, multiply(m, ctm), page, depth + 1)
          break
        }
      }
    }
  }

  document.getPages().forEach((page, index) => {
    const contents = page.node.Contents()
    const streams = contents instanceof PDFArray
      ? contents.asArray().map(ref => context.lookup(ref))
      : [contents]
    run(concat(streams.map(stream => streamBytes(stream))), page.node.Resources(), IDENTITY, index + 1, 0)
  })
  return runs
}

/** Text printed smaller than `minPt`, the smallest first: one line per size and page, with a sample. */
export function smallTextProblems(runs: TextRun[], minPt: number): string[] {
  const small = new Map<string, { page: number, pt: number, samples: string[] }>()
  for (const run of runs.filter(run => run.pt < minPt - 0.005)) {
    const pt = Math.round(run.pt * 10) / 10
    const key = `${run.page}:${pt}`
    const entry = small.get(key) ?? { page: run.page, pt, samples: [] }
    entry.samples.push(run.text.trim())
    small.set(key, entry)
  }
  return [...small.values()]
    .sort((a, b) => a.pt - b.pt || a.page - b.page)
    .map(({ page, pt, samples }) => `page ${page} has text at ${pt} pt, under the ${minPt} pt minimum: "${samples.join(' ').replace(/\s+/g, ' ').slice(0, 60)}"`)
}

/** The smallest printed size on each page. */
export function smallestPerPage(runs: TextRun[]): Map<number, number> {
  const smallest = new Map<number, number>()
  for (const run of runs)
    smallest.set(run.page, Math.min(smallest.get(run.page) ?? Infinity, run.pt))
  return smallest
}
