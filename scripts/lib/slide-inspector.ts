/**
 * Runs inside the page (passed to Playwright's `page.evaluate`): it must not refer to
 * anything outside its own body.
 */

export interface SlideInspection {
  /** Elements that reach past the slide canvas, or hide content behind a scrollbar. */
  overflow: string[]
  /** Mermaid diagrams drawn as a non-empty SVG. */
  mermaidRendered: number
  /** Mermaid's error output, or diagrams that rendered empty. */
  mermaidErrors: string[]
  /** Images that have not loaded. */
  brokenImages: string[]
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
  }
  const canvasElement = document.querySelector('#slide-content')
  const slide = document.querySelector(`.slidev-page[data-slidev-no="${slideNo}"]`)
  if (!canvasElement || !slide) {
    result.overflow.push(`slide ${slideNo} is not on the page`)
    return result
  }
  const canvas = canvasElement.getBoundingClientRect()
  const scale = canvas.width / (canvasElement as HTMLElement).offsetWidth || 1

  const describe = (element: Element): string => {
    const classes = [...element.classList].slice(0, 3).map(name => `.${name}`).join('')
    const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 50)
    return `<${element.tagName.toLowerCase()}${classes}>${text
      ? ` "${text}"`
      : ''}`
  }
  const isShown = (element: Element): boolean => {
    const style = getComputedStyle(element)
    return style.display !== 'none' && style.visibility !== 'hidden'
  }

  const flagged = new Set<Element>()
  for (const element of slide.querySelectorAll('*')) {
    if (!isShown(element))
      continue
    const box = element.getBoundingClientRect()
    if (box.width === 0 && box.height === 0)
      continue
    const edge = tolerance * scale
    const sides = [
      box.right > canvas.right + edge
        ? `right by ${Math.round((box.right - canvas.right) / scale)}px`
        : '',
      box.bottom > canvas.bottom + edge
        ? `bottom by ${Math.round((box.bottom - canvas.bottom) / scale)}px`
        : '',
      box.left < canvas.left - edge
        ? `left by ${Math.round((canvas.left - box.left) / scale)}px`
        : '',
      box.top < canvas.top - edge
        ? `top by ${Math.round((canvas.top - box.top) / scale)}px`
        : '',
    ].filter(Boolean)
    const style = getComputedStyle(element)
    const clipsX = style.overflowX !== 'visible' && element.scrollWidth > element.clientWidth + tolerance
    const clipsY = style.overflowY !== 'visible' && element.scrollHeight > element.clientHeight + tolerance
    const hidden = [
      clipsX
        ? `${element.scrollWidth - element.clientWidth}px hidden horizontally`
        : '',
      clipsY
        ? `${element.scrollHeight - element.clientHeight}px hidden vertically`
        : '',
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
  }
  // Slidev shows a failed diagram as a red <pre> holding mermaid's exception.
  for (const error of slide.querySelectorAll('pre[border]'))
    result.mermaidErrors.push(`mermaid failed: ${(error.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 160)}`)

  for (const image of slide.querySelectorAll('img')) {
    if (!image.complete || image.naturalWidth === 0)
      result.brokenImages.push(image.getAttribute('src') ?? '(no src)')
  }
  return result
}
