/**
 * Runs inside the page (passed to Playwright's `page.evaluate`): it must not refer to
 * anything outside its own body.
 */
import type { CanvasSize, DensityFragment } from '../../../scripts/deck/text-density'

export interface SlideInspection {
  /** Elements that reach past the slide canvas, or hide content behind a scrollbar. */
  overflow: string[]
  /** Mermaid diagrams drawn as a non-empty SVG. */
  mermaidRendered: number
  /** Mermaid's error output, or diagrams that rendered empty. */
  mermaidErrors: string[]
  /** Images that have not loaded. */
  brokenImages: string[]
  /** The smallest text of each kind, in pixels of the slide canvas (after every zoom and scale). */
  smallestText: SmallestText[]
  /** The canvas's layout size (980×552 unless the deck sets another). */
  canvasSize: CanvasSize
  /**
   * The boxes of every visible line fragment of text (hidden click steps left out), in canvas
   * pixels, for `textDensity()` (see text-density.ts for what counts as what).
   */
  textFragments: DensityFragment[]
}

export type TextKind = 'prose' | 'code' | 'diagram'

export interface SmallestText {
  kind: TextKind
  px: number
  sample: string
}

export interface InspectRequest {
  slideNo: number
  /** Pixels of tolerance for sub-pixel rounding. */
  tolerance: number
}

export function inspectSlide({ slideNo, tolerance }: InspectRequest): SlideInspection {
  const result: SlideInspection = {
    overflow: [],
    mermaidRendered: 0,
    mermaidErrors: [],
    brokenImages: [],
    smallestText: [],
    canvasSize: { width: 0, height: 0 },
    textFragments: [],
  }
  const canvasElement = document.querySelector('#slide-content')
  const slide = document.querySelector(`.slidev-page[data-slidev-no="${slideNo}"]`)
  if (!canvasElement || !slide) {
    result.overflow.push(`slide ${slideNo} is not on the page`)
    return result
  }
  const canvas = canvasElement.getBoundingClientRect()
  const scale = canvas.width / (canvasElement as HTMLElement).offsetWidth || 1
  result.canvasSize = { width: (canvasElement as HTMLElement).offsetWidth, height: (canvasElement as HTMLElement).offsetHeight }

  const describe = (element: Element): string => {
    const classes = [...element.classList].slice(0, 3).map(name => `.${name}`).join('')
    const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 50)
    return `<${element.tagName.toLowerCase()}${classes}>${text ? ` "${text}"` : ''}`
  }
  const isShown = (element: Element): boolean => {
    const style = getComputedStyle(element)
    return style.display !== 'none' && style.visibility !== 'hidden'
  }

  const sidesPastCanvas = (box: DOMRect): string[] => {
    const edge = tolerance * scale
    return [
      box.right > canvas.right + edge ? `right by ${Math.round((box.right - canvas.right) / scale)}px` : '',
      box.bottom > canvas.bottom + edge
        ? `bottom by ${Math.round((box.bottom - canvas.bottom) / scale)}px`
        : '',
      box.left < canvas.left - edge ? `left by ${Math.round((canvas.left - box.left) / scale)}px` : '',
      box.top < canvas.top - edge ? `top by ${Math.round((canvas.top - box.top) / scale)}px` : '',
    ].filter(Boolean)
  }

  const flagged = new Set<Element>()
  for (const element of slide.querySelectorAll('*')) {
    if (!isShown(element))
      continue
    const box = element.getBoundingClientRect()
    if (box.width === 0 && box.height === 0)
      continue
    const sides = sidesPastCanvas(box)
    const style = getComputedStyle(element)
    const clipsX = style.overflowX !== 'visible' && element.scrollWidth > element.clientWidth + tolerance
    const clipsY = style.overflowY !== 'visible' && element.scrollHeight > element.clientHeight + tolerance
    const hidden = [
      clipsX ? `${element.scrollWidth - element.clientWidth}px hidden horizontally` : '',
      clipsY ? `${element.scrollHeight - element.clientHeight}px hidden vertically` : '',
    ].filter(Boolean)
    const parentFlagged = element.parentElement != null && flagged.has(element.parentElement)
    if (sides.length && !parentFlagged) {
      result.overflow.push(`${describe(element)} leaves the slide (${sides.join(', ')})`)
      flagged.add(element)
    }
    else if (sides.length) {
      flagged.add(element)
    }
    if (hidden.length)
      result.overflow.push(`${describe(element)} cuts off its content (${hidden.join(', ')})`)
  }

  for (const host of slide.querySelectorAll('.mermaid')) {
    const svg = host.shadowRoot?.querySelector('svg')
    const box = svg?.getBoundingClientRect()
    const text = svg?.textContent ?? ''
    if (!svg || !box || box.width === 0 || box.height === 0)
      result.mermaidErrors.push('a mermaid diagram rendered no visible SVG')
    else if (/syntax error|parse error/i.test(text))
      result.mermaidErrors.push(`mermaid drew its error diagram: ${text.replace(/\s+/g, ' ').slice(0, 120)}`)
    else
      result.mermaidRendered += 1
    // The SVG lives in a shadow root, out of reach of the element walk above.
    const sides = box ? sidesPastCanvas(box) : []
    if (sides.length)
      result.overflow.push(`a mermaid diagram leaves the slide (${sides.join(', ')})`)
  }
  // Slidev shows a failed diagram as a red <pre> holding mermaid's exception.
  for (const error of slide.querySelectorAll('pre[border]'))
    result.mermaidErrors.push(`mermaid failed: ${(error.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 160)}`)

  for (const image of slide.querySelectorAll('img')) {
    if (!image.complete || image.naturalWidth === 0)
      result.brokenImages.push(image.getAttribute('src') ?? '(no src)')
  }

  // Effective size = computed font-size times every scale between the text and the screen,
  // divided by the canvas scale: Slidev's zoom and mermaid's {scale} are CSS transforms.
  const smallest = new Map<TextKind, SmallestText>()
  const effectiveSize = (element: Element): number => {
    const fontSize = Number.parseFloat(getComputedStyle(element).fontSize)
    // Mermaid's HTML labels sit in a <foreignObject>: the SVG's transform is what scales them.
    const svgContext = element instanceof SVGGraphicsElement ? element : element.closest('foreignObject')
    if (svgContext instanceof SVGGraphicsElement) {
      const matrix = svgContext.getScreenCTM()
      return matrix ? fontSize * Math.hypot(matrix.a, matrix.b) / scale : fontSize
    }
    // Rendered width over layout width is the scale applied to an element; offsetWidth is
    // rounded to whole pixels, so take it from the nearest ancestor wide enough to be exact.
    let measured = element
    while (measured instanceof HTMLElement && measured.offsetWidth < 200 && measured !== slide && measured.parentElement instanceof HTMLElement)
      measured = measured.parentElement
    if (measured instanceof HTMLElement && measured.offsetWidth > 0)
      return fontSize * (measured.getBoundingClientRect().width / measured.offsetWidth) / scale
    return fontSize
  }
  // Density: which text is visible at this click step, which block lays it out, and its boxes.
  const parentOf = (element: Element): Element | null => element.parentElement
    ?? (element.getRootNode() instanceof ShadowRoot ? (element.getRootNode() as ShadowRoot).host : null)
  const transparent = new Map<Element, boolean>()
  // Slidev hides a click step's elements with `opacity: 0`, which the children don't inherit.
  const isTransparent = (element: Element | null): boolean => {
    if (!element || element === slide)
      return false
    const known = transparent.get(element)
    if (known !== undefined)
      return known
    const answer = Number.parseFloat(getComputedStyle(element).opacity) === 0 || isTransparent(parentOf(element))
    transparent.set(element, answer)
    return answer
  }
  const blocks = new Map<Element, number>()
  const rows = new Map<Element, number>()
  const idOf = (ids: Map<Element, number>, element: Element): number => {
    let id = ids.get(element)
    if (id === undefined) {
      id = ids.size
      ids.set(element, id)
    }
    return id
  }
  // A table cell is one block, whatever it holds; other text belongs to its nearest non-inline box.
  const blockOf = (element: Element): Element => {
    const cell = element.closest('td, th')
    if (cell)
      return cell
    let current = element
    while (current !== slide) {
      const display = getComputedStyle(current).display
      const parent = parentOf(current)
      if ((!display.startsWith('inline') && display !== 'contents') || !parent)
        return current
      current = parent
    }
    return current
  }
  const isCodeBlock = (element: Element, block: Element): boolean => !!element.closest('pre')
    || ['CODE', 'KBD', 'SAMP'].includes(block.tagName)
    || /mono|fira code|courier|consolas|menlo/i.test(getComputedStyle(block).fontFamily)
  const range = document.createRange()
  const collectFragments = (node: Text, parent: Element, diagram: boolean): void => {
    if (isTransparent(parent))
      return
    const text = node.data
    const start = text.search(/\S/)
    const end = text.length - (/\s*$/.exec(text)?.[0].length ?? 0)
    if (start < 0 || end <= start)
      return
    range.setStart(node, start)
    range.setEnd(node, end)
    let rects = [...range.getClientRects()]
    // SVG text (a diagram's <text>/<tspan> labels) may give no client rects: take the element's box.
    if (!rects.length && parent instanceof SVGGraphicsElement) {
      rects = [parent.getBoundingClientRect()]
    }
    const block = blockOf(parent)
    const blockId = idOf(blocks, block)
    const row = ['TD', 'TH'].includes(block.tagName) && block.parentElement
      ? idOf(rows, block.parentElement)
      : undefined
    const kind = diagram ? 'diagram' : isCodeBlock(parent, block) ? 'code' : 'prose'
    for (const rect of rects) {
      if (rect.width < 0.5 || rect.height < 0.5)
        continue
      result.textFragments.push({
        kind,
        block: blockId,
        ...(row === undefined ? {} : { row }),
        x: Math.round((rect.left - canvas.left) / scale * 10) / 10,
        y: Math.round((rect.top - canvas.top) / scale * 10) / 10,
        width: Math.round(rect.width / scale * 10) / 10,
        height: Math.round(rect.height / scale * 10) / 10,
      })
    }
  }

  const measureText = (root: Node, diagram: boolean): void => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = (node.textContent ?? '').trim()
      const parent = node.parentElement
      if (!text || !parent || !isShown(parent) || parent.closest('style, script'))
        continue
      collectFragments(node as Text, parent, diagram)
      const kind: TextKind = diagram ? 'diagram' : parent.closest('pre, code') ? 'code' : 'prose'
      const px = Math.round(effectiveSize(parent) * 10) / 10
      const known = smallest.get(kind)
      if (!known || px < known.px) {
        smallest.set(kind, {
          kind,
          px,
          sample: text.replace(/\s+/g, ' ').slice(0, 40),
        })
      }
    }
  }
  measureText(slide, false)
  for (const host of slide.querySelectorAll('.mermaid')) {
    if (host.shadowRoot)
      measureText(host.shadowRoot, true)
  }
  result.smallestText = [...smallest.values()]
  return result
}
