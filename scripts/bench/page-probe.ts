/**
 * Runs inside the deck's page (added as an init script, so it is there before Slidev starts).
 * Kept free of imports: Playwright serialises it as source.
 *
 * A slide is ready when its wrapper ([data-slidev-no]) is visible, its layout has mounted (the
 * slide's chunk has loaded and its components rendered), every mermaid diagram in it has its SVG,
 * and every image in it has loaded. A click step is ready when, besides, the slide's DOM has
 * changed since the key press. The time taken is from the key press (the keydown event's
 * timestamp) to the end of the first frame painted in that state.
 */
export function installProbe(): void {
  interface Probe {
    keyAt?: number
    from?: string
    result?: { ms: number, no: number, clicks: number } | { error: string }
    waitingFor: string
    mutated: boolean
    watch: (from: string) => void
    firstSlide?: { ms: number, jsBytes: number }
    /** Slides whose address is a name (frontmatter routeAlias) rather than their number. */
    aliases: Record<string, number>
  }
  const w = window as unknown as { __benchProbe: Probe }
  const state = (): { no: number, clicks: number } => {
    const segment = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '1')
    const no = Number(segment) || w.__benchProbe.aliases[segment] || 0
    const clicks = Number(new URLSearchParams(location.search).get('clicks') ?? '0')
    return { no, clicks }
  }
  const key = (): string => `${state().no}:${state().clicks}`
  const slideElement = (no: number): HTMLElement | undefined => [
    ...document.querySelectorAll<HTMLElement>(`[data-slidev-no="${no}"]`),
  ]
    .find(el => el.checkVisibility())
  const notReady = (no: number, needsChange: boolean): string | undefined => {
    const el = slideElement(no)
    if (!el)
      return `slide ${no} is not visible`
    if (!el.querySelector('.slidev-layout'))
      return `slide ${no}'s layout has not mounted`
    const diagrams = [...el.querySelectorAll('.mermaid')]
    if (diagrams.some(host => !host.shadowRoot?.querySelector('svg')))
      return `a mermaid diagram on slide ${no} has not rendered`
    if ([...el.querySelectorAll('img')].some(img => !img.complete)) {
      return `an image on slide ${no} has not loaded`
    }
    if (needsChange && !w.__benchProbe.mutated)
      return `slide ${no} has not changed since the key press`
    return undefined
  }
  let observer: MutationObserver | undefined
  const probe: Probe = {
    waitingFor: '',
    mutated: false,
    aliases: {},
    watch(from: string) {
      probe.from = from
      probe.keyAt = undefined
      probe.result = undefined
      probe.mutated = false
      probe.waitingFor = 'the key press'
      observer?.disconnect()
      observer = new MutationObserver(() => {
        probe.mutated = true
      })
      observer.observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      })
    },
  }
  w.__benchProbe = probe
  const afterPaint = (done: () => void): void => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => done()
    channel.port2.postMessage(undefined)
  }
  // Each frame, before it is painted: is the new state ready? If so, the frame about to be painted
  // shows it, and the first task after the frame marks the time.
  const tick = (): void => {
    if (probe.from !== undefined && probe.keyAt !== undefined && !probe.result) {
      const now = state()
      if (key() === probe.from) {
        probe.waitingFor = 'the deck to move on'
      }
      else {
        const sameSlide = probe.from.split(':')[0] === String(now.no)
        const why = notReady(now.no, sameSlide)
        probe.waitingFor = why ?? 'the frame'
        if (!why) {
          const keyAt = probe.keyAt
          const { no, clicks } = now
          afterPaint(() => {
            probe.result = { ms: performance.now() - keyAt, no, clicks }
          })
          probe.from = undefined
        }
      }
    }
    if (!probe.firstSlide) {
      const why = notReady(1, false)
      if (!why) {
        afterPaint(() => {
          const at = performance.now()
          const jsBytes = performance.getEntriesByType('resource')
            .filter((entry): entry is PerformanceResourceTiming => /\.m?js(?:\?|$)/.test(entry.name) && (entry as PerformanceResourceTiming).responseEnd <= at)
            .reduce((sum, entry) => sum + entry.encodedBodySize, 0)
          probe.firstSlide = { ms: at, jsBytes }
        })
      }
      else {
        probe.waitingFor = why
      }
    }
    requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
  window.addEventListener('keydown', (event) => {
    if (probe.from !== undefined && probe.keyAt === undefined)
      probe.keyAt = event.timeStamp
  }, true)
  // The probe's own key: where the deck stands now, as "slide:clicks".
  ;(w as unknown as { __benchState: () => string }).__benchState = key
}
