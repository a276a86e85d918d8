import type { Deck } from '../core/deck-source'
import type { Problem } from '../core/problem'
import type { Scenario } from './scenarios'
import { lineOf } from '../core/deck-source'
import { codeFences, snippetRunSteps } from '../core/markdown'

// The deck and snippets/ must agree: every step a slide shows is a snippet, every step is
// either shown or marked hidden, and no slide types a command in by hand.

const COMMAND_LANGUAGES = new Set(['bash', 'sh', 'shell', 'console', 'zsh', 'shellsession'])
const RUNS_A_COMMAND = /^(?:\$\s+)?(?:kubectl|linkerd|kind|docker|helm|curl)\s/

export interface ShownStep {
  id: string
  file: string
  line: number
  slide: number
}

export function shownSteps(deck: Deck): ShownStep[] {
  const shown: ShownStep[] = []
  for (const slide of deck.slides) {
    for (const { step, tag } of snippetRunSteps(slide.content)) {
      shown.push({
        id: step,
        file: slide.file,
        line: lineOf(slide, tag),
        slide: slide.no,
      })
    }
    for (const match of slide.content.matchAll(/^<<<\s+@\/snippets\/([\w-]+\/[\w-]+)\.(?:sh|out)\b/gm)) {
      shown.push({
        id: match[1]!,
        file: slide.file,
        line: lineOf(slide, match[0]),
        slide: slide.no,
      })
    }
  }
  return shown
}

/** Fenced blocks in a command language: a command on a slide that is not a snippet. */
export function typedCommandProblems(deck: Deck): Problem[] {
  return deck.slides.flatMap(slide => codeFences(slide.content).flatMap((fence) => {
    const runsACommand = RUNS_A_COMMAND.test(fence.firstLine ?? '')
    if (!COMMAND_LANGUAGES.has(fence.language) && !runsACommand)
      return []
    const what = runsACommand ? `that runs ${(fence.firstLine ?? '').split(/\s/)[0]} ` : ''
    return [
      {
        file: slide.file,
        line: lineOf(slide, fence.opening),
        message: `slide ${slide.no} types a ${fence.language || 'plain'} block ${what}by hand: put the command in snippets/ and show it with <SnippetRun step="…" />`,
      },
    ]
  }))
}

/**
 * The hands-on slides (those with a terminal) may only name the pinned versions: a slide that
 * says edge-26.5.1 while the steps run edge-26.6.3 would be a lie on stage.
 */
export function slidePinProblems(deck: Deck, pins: Readonly<Record<string, string>>): Problem[] {
  const nodeTag = /:(v[\d.]+)/.exec(pins.KIND_NODE_IMAGE ?? '')?.[1]
  const rules: { pattern: RegExp, pinned: string | undefined, key: string }[] = [
    { pattern: /\bedge-\d+\.\d+\.\d+\b/g, pinned: pins.LINKERD_VERSION, key: 'LINKERD_VERSION' },
    { pattern: /(?<=kindest\/node:)v[\d.]+\d/g, pinned: nodeTag, key: 'KIND_NODE_IMAGE' },
    { pattern: /(?<=\bkind )v\d+\.\d+\.\d+\b/g, pinned: pins.KIND_VERSION, key: 'KIND_VERSION' },
  ]
  const problems: Problem[] = []
  for (const slide of deck.slides.filter(s => s.content.includes('<SnippetRun'))) {
    for (const rule of rules) {
      for (const match of slide.content.matchAll(rule.pattern)) {
        if (rule.pinned && match[0] !== rule.pinned) {
          problems.push({
            file: slide.file,
            line: lineOf(slide, match[0]),
            message: `slide ${slide.no} names ${match[0]}, but snippets/versions.env pins ${rule.key}=${rule.pinned}`,
          })
        }
      }
    }
  }
  return problems
}

export function coverageProblems(deck: Deck, scenarios: readonly Scenario[]): Problem[] {
  const shown = shownSteps(deck)
  const problems: Problem[] = []
  for (const scenario of scenarios) {
    for (const step of scenario.steps) {
      const onSlides = shown.filter(s => s.id === step.id)
      if (step.hidden && onSlides.length > 0) {
        const where = onSlides.map(s => `slide ${s.slide} (${s.file}:${s.line})`).join(', ')
        problems.push({ file: scenario.manifest, line: step.manifestLine, message: `step ${step.name} is marked hidden but ${where} shows it` })
      }
      if (!step.hidden && onSlides.length === 0)
        problems.push({ file: scenario.manifest, line: step.manifestLine, message: `step ${step.name} is neither shown on a slide nor marked hidden: true` })
    }
  }
  return [...problems, ...typedCommandProblems(deck)]
}
