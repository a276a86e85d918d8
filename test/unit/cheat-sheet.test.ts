import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ANNOTATIONS, cheatSheetLayouts, EXIT_CODES, INIT_UID, parseChecklist, PROXY_UID, proxyPorts } from '../../model/cheat-sheet'
import { LINKERD_CNI_DEFAULTS, LINKERD_INIT_DEFAULTS } from '../../model/firewall/proxy-init-commands'
import { ALL_VARIANTS, podLayout } from '../../model/pod-startup'
import { readDeck } from '../../scripts/core/deck-source'
import { comparableText } from '../../scripts/core/markdown'
import { cheatSheetSlide } from '../../scripts/export/cheat-sheet'
import { DEPRECATED_LINKERD_KEYS, judgeLinkerdKey } from '../../scripts/snippet-check/linkerd-annotations'

// Every fact on the cheat sheet is held to the repository's own sources: the models the slides
// draw, the snippet checker's list of Linkerd 2.20 keys, the checklist snippet, the slides.

const repo = fileURLToPath(new URL('../..', import.meta.url))
const checklistScript = readFileSync(join(repo, 'snippets/troubleshooting/checklist.sh'), 'utf8')
const deckText = async (): Promise<string> => comparableText((await readDeck(join(repo, 'slides.md'))).slides.map(slide => `${slide.content}\n${slide.notes}`).join('\n'))

describe('the cheat sheet\'s facts', () => {
  it('lists the four layouts as the start-up model builds them', () => {
    const layouts = cheatSheetLayouts()
    expect(layouts.map(({ initContainers, containers }) => ({ initContainers, containers }))).toEqual(ALL_VARIANTS.map(podLayout))
    expect(layouts.filter(layout => layout.isDefault).map(layout => layout.label)).toEqual(['native · linkerd-init'])
    expect(layouts.map(layout => layout.appInits)).toEqual(['unmeshed', 'tcp-refused', 'meshed', 'meshed'])
  })

  it('gives the proxy\'s ports and UID as linkerd-init, linkerd-cni and the packet model have them', () => {
    expect(proxyPorts()).toEqual([
      { port: 4143, role: 'inbound', listensOn: '0.0.0.0' },
      { port: 4140, role: 'outbound', listensOn: '127.0.0.1 only' },
      { port: 4191, role: 'admin: /live, /ready', listensOn: '0.0.0.0' },
      { port: 4190, role: 'control', listensOn: '0.0.0.0' },
    ])
    for (const defaults of [LINKERD_INIT_DEFAULTS, LINKERD_CNI_DEFAULTS]) {
      expect(defaults.proxyInboundPort).toBe(4143)
      expect(defaults.proxyOutboundPort).toBe(4140)
      expect(defaults.proxyUid).toBe(PROXY_UID)
      expect(defaults.inboundPortsToIgnore).toEqual(expect.arrayContaining(['4190', '4191']))
    }
    expect(PROXY_UID).toBe(2102)
  })

  it('names only annotations Linkerd 2.20 reads, by their current names', () => {
    for (const { key } of ANNOTATIONS)
      expect(judgeLinkerdKey(key), key).toEqual({ kind: 'known' })
    // The native-sidecar switch under its 2.20 name, the one the deprecated alpha and beta names point to.
    expect(new Set(DEPRECATED_LINKERD_KEYS.values())).toEqual(new Set(['config.linkerd.io/proxy-enable-native-sidecar']))
    expect(ANNOTATIONS.map(annotation => annotation.key)).toContain('config.linkerd.io/proxy-enable-native-sidecar')
    expect(ANNOTATIONS.map(annotation => annotation.key)).toContain('linkerd.io/inject')
  })

  it('says nothing the slides do not: every annotation, exit code and UID is on a slide', async () => {
    const deck = await deckText()
    for (const { key } of ANNOTATIONS)
      expect(deck, key).toContain(comparableText(key))
    expect(deck).toContain(comparableText('linkerd.io/inject: enabled'))
    expect(deck).toContain(comparableText('proxy-enable-native-sidecar: "false"'))
    expect(deck).toContain(comparableText('skip-outbound-ports: "5432"'))
    expect(deck).toContain('exit code 7 is curl s could not connect')
    expect(deck).toContain('validator exits 95')
    expect(deck).toContain('runasuser 2102')
    expect(deck).toContain(`uid gid ${INIT_UID}`)
    expect(EXIT_CODES.map(exit => exit.code)).toEqual([95, 7])
  })

  it('reads the troubleshooting checklist from its snippet, question by question', () => {
    const checklist = parseChecklist(checklistScript)
    expect(checklist.intro).toBe('A meshed pod won\'t start: set NS and POD, then one question per command.')
    expect(checklist.items).toHaveLength(5)
    const commands = checklistScript.split('\n').filter(line => line.trim() && !line.startsWith('#'))
    expect(checklist.items.flatMap(item => item.command)).toEqual(commands)
    for (const item of checklist.items)
      expect(item.question).toMatch(/\?/)
    expect(checklist.items[1]!.question).toContain('95: the CNI validator')
  })
})

describe('the cheat sheet slide', () => {
  it('is one appendix slide, before the last, titled as the export names it', async () => {
    const deck = await readDeck(join(repo, 'slides.md'))
    const slide = cheatSheetSlide(deck)
    const appendix = deck.slides.find(s => s.frontmatter.appendix === true)!
    expect(slide.no).toBeGreaterThan(appendix.no)
    expect(slide.no).toBeLessThan(deck.slides.length)
    expect(slide.title).toMatch(/^Cheat sheet/)
    expect(slide.file).toBe('pages/appendix.md')
  })
})
