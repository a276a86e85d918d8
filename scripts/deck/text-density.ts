/**
 * How much text a slide shows, from the text boxes `inspectSlide` measures in the page.
 *
 * Two measures, both taken on the 980×552 slide canvas (after Slidev's zoom and mermaid's scale):
 *
 * - **coverage**: the share of the canvas that text covers. Every visible text node (prose,
 *   inline and block code, table cells, component text, mermaid labels) contributes the boxes
 *   of its rendered line fragments (`Range.getClientRects()` over the node without its leading
 *   and trailing white space: the font's ascent to descent, one box per wrapped line). The
 *   boxes overlap (a `<strong>` inside a paragraph, a label inside a diagram node), so the
 *   area is that of their union, rasterised on a grid of 4px cells: a cell counts when its
 *   centre lies inside a box. Text hidden by a click step (`opacity: 0`) does not count.
 * - **prose lines**: rendered lines of prose, after wrapping (not source lines). Prose is all
 *   visible text except code blocks (`<pre>`, a block set in `<code>` or in the code font) and
 *   diagram labels; headings, paragraphs, list items, table cells and component text count,
 *   and inline `code` counts with the line it sits in. Lines are counted per block (the
 *   nearest ancestor that is not laid out inline: a paragraph, a list item, a grid or flex
 *   item; all of a table cell is one block): fragments of one block whose vertical midpoints
 *   fall on the same line are one line. Blocks side by side (two columns of bullets) add up,
 *   but a table row counts as many lines as its tallest cell: a table is read across, row by
 *   row, and an overview table of eight one-line rows is eight lines, not thirty-two.
 */

/** A text fragment's box in canvas pixels, its top-left corner relative to the canvas's. */
export interface TextBox {
  x: number
  y: number
  width: number
  height: number
}

export type DensityTextKind = 'prose' | 'code' | 'diagram'

export interface DensityFragment extends TextBox {
  kind: DensityTextKind
  /** Which block the fragment is laid out in; lines are counted per block. */
  block: number
  /** The table row of the cell the fragment is in, if any: a row counts its tallest cell's lines. */
  row?: number
}

export interface CanvasSize {
  width: number
  height: number
}

export interface TextDensity {
  /** Share of the canvas covered by text, 0 to 1. */
  coverage: number
  proseLines: number
}

/** Side of the raster's square cells, in canvas pixels. */
export const COVERAGE_CELL_PX = 4

/**
 * The share of the canvas covered by the union of `boxes` (clipped to the canvas), on a raster
 * of `cell`-pixel squares: a cell is covered when its centre lies inside a box (left and top
 * edges inclusive, right and bottom exclusive), so nested and overlapping boxes count once.
 */
export function coveredShare(boxes: TextBox[], canvas: CanvasSize, cell = COVERAGE_CELL_PX): number {
  const columns = Math.ceil(canvas.width / cell)
  const rows = Math.ceil(canvas.height / cell)
  if (columns <= 0 || rows <= 0)
    return 0
  const covered = new Uint8Array(columns * rows)
  // The first cell whose centre is at or past `edge`.
  const firstCellFrom = (edge: number): number => Math.max(0, Math.ceil(edge / cell - 0.5))
  let count = 0
  for (const box of boxes) {
    if (!(box.width > 0 && box.height > 0))
      continue
    const fromColumn = firstCellFrom(box.x)
    const toColumn = Math.min(columns, firstCellFrom(box.x + box.width))
    const fromRow = firstCellFrom(box.y)
    const toRow = Math.min(rows, firstCellFrom(box.y + box.height))
    for (let row = fromRow; row < toRow; row++) {
      for (let column = fromColumn; column < toColumn; column++) {
        const index = row * columns + column
        if (!covered[index]) {
          covered[index] = 1
          count += 1
        }
      }
    }
  }
  return count / (columns * rows)
}

/**
 * Rendered lines: fragments are grouped by block, and within a block a fragment whose vertical
 * midpoint lies within a line already seen (top to bottom, inclusive) belongs to that line;
 * otherwise it starts a new one. Inline elements of different heights on one line (bold,
 * inline code, a badge) stay one line; a wrapped paragraph is as many lines as it wraps to.
 * Blocks add up, except the cells of a table row: the row counts as its tallest cell.
 */
export function countLines(fragments: Array<Pick<DensityFragment, 'block' | 'row' | 'y' | 'height'>>): number {
  const byBlock = new Map<number, { row?: number, boxes: Array<{ top: number, bottom: number }> }>()
  for (const fragment of fragments) {
    if (!(fragment.height > 0))
      continue
    const group = byBlock.get(fragment.block) ?? { row: fragment.row, boxes: [] }
    group.boxes.push({ top: fragment.y, bottom: fragment.y + fragment.height })
    byBlock.set(fragment.block, group)
  }
  let lines = 0
  const rows = new Map<number, number>()
  for (const { row, boxes } of byBlock.values()) {
    // Tallest first, so a line is anchored on its full-height text rather than a small superscript.
    boxes.sort((a, b) => (b.bottom - b.top) - (a.bottom - a.top) || a.top - b.top)
    const seen: Array<{ top: number, bottom: number }> = []
    for (const box of boxes) {
      const middle = (box.top + box.bottom) / 2
      if (!seen.some(line => line.top <= middle && middle <= line.bottom))
        seen.push(box)
    }
    if (row === undefined)
      lines += seen.length
    else
      rows.set(row, Math.max(rows.get(row) ?? 0, seen.length))
  }
  for (const rowLines of rows.values())
    lines += rowLines
  return lines
}

/** Both measures of one slide state. */
export function textDensity(fragments: DensityFragment[], canvas: CanvasSize): TextDensity {
  return {
    coverage: coveredShare(fragments, canvas),
    proseLines: countLines(fragments.filter(fragment => fragment.kind === 'prose')),
  }
}
