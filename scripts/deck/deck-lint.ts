import type { Deck, DeckSlide } from '../core/deck-source'
import type { Problem } from '../core/problem'
import type { Scenario } from '../snippet-check/scenarios'
import type { StageRuns } from './timing'
import { dirname, join, resolve } from 'node:path'
import { DEFAULT_VARIANT, startupSteps } from '../../model/pod-startup'
import { lineOf } from '../core/deck-source'
import { componentTags, snippetRunSteps, withoutCodeFences } from '../core/markdown'
import { stepsForRun } from '../talk/talk-steps'

/** What the deck's source may refer to, looked up on disk by the caller. */
export interface DeckAssets {
  exists: (absolutePath: string) => boolean
  /** Component names (PascalCase) that Vue can resolve in a slide. */
  components: ReadonlySet<string>
  /** Installed icon collections by prefix, each with its icon names. */
  iconSets: ReadonlyMap<string, ReadonlySet<string>>
}

/** Slidev built-ins that embed a third-party service and so fail at a venue without wifi. */
export const NETWORK_BOUND_COMPONENTS = new Set(['Tweet', 'Youtube', 'BlueSky', 'PlantUml'])

export function isRemote(src: string): boolean {
  return /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(src) && !src.startsWith('file:')
}

function pascalCase(kebab: string): string {
  return kebab.split('-').map(part => part.charAt(0).toUpperCase() + part.slice(1)).join('')
}

function snippetProblems(deck: Deck, slide: DeckSlide, assets: DeckAssets): Problem[] {
  const problems: Problem[] = []
  for (const match of slide.content.matchAll(/^<<<\s+(\S+)/gm)) {
    const reference = match[1]!.replace(/[#{[].*$/, '')
    const path = reference.startsWith('@/')
      ? join(deck.root, reference.slice(2))
      : resolve(deck.root, dirname(slide.file), reference)
    if (!assets.exists(path)) {
      problems.push({
        file: slide.file,
        line: lineOf(slide, match[0]),
        message: `snippet not found: ${reference}`,
      })
    }
  }
  for (const { step, tag } of snippetRunSteps(slide.content)) {
    if (!assets.exists(join(deck.root, 'snippets', `${step}.sh`))) {
      problems.push({
        file: slide.file,
        line: lineOf(slide, tag),
        message: `snippet step not found: ${step} (no snippets/${step}.sh)`,
      })
    }
  }
  return problems
}

/** PodStartup advances one step per Slidev click, so its slide must declare one click per step. */
function clickProblems(slide: DeckSlide): Problem[] {
  if (!/<PodStartup\b/.test(withoutCodeFences(slide.content)))
    return []
  const wanted = startupSteps(DEFAULT_VARIANT).length
  return slide.frontmatter.clicks === wanted
    ? []
    : [
        {
          file: slide.file,
          line: lineOf(slide, '<PodStartup'),
          message: `a slide with <PodStartup> needs "clicks: ${wanted}" in its frontmatter, one per step (has ${String(slide.frontmatter.clicks ?? 'none')})`,
        },
      ]
}

function imageSources(slide: DeckSlide): string[] {
  const markup = withoutCodeFences(slide.content)
  const sources = [
    ...[...markup.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)/g)].map(match => match[1]!),
    ...[...markup.matchAll(/<img\b[^>]*?\ssrc\s*=\s*["']([^"']+)["']/gi)].map(match => match[1]!),
  ]
  for (const key of ['image', 'background', 'backgroundImage']) {
    const value = slide.frontmatter[key]
    if (typeof value === 'string' && /^(?:\/|\.{1,2}\/|[a-z]+:\/\/)|\.(?:png|jpe?g|gif|svg|webp|avif)$/i.test(value))
      sources.push(value)
  }
  return sources
}

function imageProblems(deck: Deck, slide: DeckSlide, assets: DeckAssets): Problem[] {
  const problems: Problem[] = []
  for (const src of imageSources(slide)) {
    const line = lineOf(slide, src)
    if (isRemote(src)) {
      problems.push({ file: slide.file, line, message: `remote image: ${src} (the deck must work offline: put the file in public/)` })
      continue
    }
    if (src.startsWith('data:'))
      continue
    const clean = decodeURI(src.replace(/[?#].*$/, ''))
    const path = clean.startsWith('/')
      ? join(deck.root, 'public', clean)
      : resolve(deck.root, dirname(slide.file), clean)
    if (!assets.exists(path))
      problems.push({ file: slide.file, line, message: `image not found: ${src}` })
  }
  return problems
}

function componentProblems(slide: DeckSlide, assets: DeckAssets): Problem[] {
  const problems: Problem[] = []
  for (const tag of componentTags(slide.content)) {
    const line = lineOf(slide, `<${tag}`)
    const iconPrefix = [...assets.iconSets.keys()].find(prefix => tag.startsWith(`${prefix}-`))
    if (iconPrefix) {
      const name = tag.slice(iconPrefix.length + 1)
      if (!assets.iconSets.get(iconPrefix)!.has(name))
        problems.push({ file: slide.file, line, message: `icon not found in @iconify-json/${iconPrefix}: ${name}` })
      continue
    }
    const name = tag.includes('-') ? pascalCase(tag) : tag
    if (NETWORK_BOUND_COMPONENTS.has(name))
      problems.push({ file: slide.file, line, message: `<${tag}> loads a third-party service: the deck must work offline` })
    else if (!assets.components.has(name))
      problems.push({ file: slide.file, line, message: `unknown component or icon: <${tag}> (not in components/, Slidev's built-ins or an installed @iconify-json set)` })
  }
  return problems
}

function emojiProblems(slide: DeckSlide): Problem[] {
  const markup = withoutCodeFences(slide.content)
  return [...new Set(markup.match(/\p{Extended_Pictographic}/gu) ?? [])].map(emoji => ({
    file: slide.file,
    line: lineOf(slide, emoji),
    message: `raw emoji ${emoji} renders with whatever font the exporting machine has: use an icon from an @iconify-json set`,
  }))
}

/**
 * Route aliases (`routeAlias:` in a slide's frontmatter) are how one slide links to another that
 * may move: each must be unique, and every `<Link to="…">` must name one, or a slide number.
 */
function linkProblems(deck: Deck): Problem[] {
  const problems: Problem[] = []
  const aliases = new Map<string, DeckSlide>()
  for (const slide of deck.slides) {
    const alias = slide.frontmatter.routeAlias
    if (alias === undefined)
      continue
    const first = aliases.get(String(alias))
    if (first) {
      problems.push({
        file: slide.file,
        line: lineOf(slide, 'routeAlias'),
        message: `routeAlias "${alias}" is already used by slide ${first.no} (${first.file}:${first.line})`,
      })
    }
    else {
      aliases.set(String(alias), slide)
    }
  }
  for (const slide of deck.slides) {
    for (const match of withoutCodeFences(slide.content).matchAll(/<Link\b[^>]*?\sto="([^"]*)"/g)) {
      const target = match[1]!
      const isSlideNo = /^\d+$/.test(target) && Number(target) >= 1 && Number(target) <= deck.slides.length
      if (!isSlideNo && !aliases.has(target)) {
        problems.push({
          file: slide.file,
          line: lineOf(slide, match[0]),
          message: `<Link to="${target}"> leads nowhere: no slide has that routeAlias or number`,
        })
      }
    }
  }
  return problems
}

/** Problems a reader of the Markdown could spot without building the deck. */
export function lintDeck(deck: Deck, assets: DeckAssets): Problem[] {
  return deck.slides.flatMap(slide => [
    ...slide.frontmatterErrors,
    ...(slide.notes
      ? []
      : [{ file: slide.file, line: slide.line, message: `slide ${slide.no} has no speaker notes` }]),
    ...snippetProblems(deck, slide, assets),
    ...imageProblems(deck, slide, assets),
    ...componentProblems(slide, assets),
    ...clickProblems(slide),
    ...emojiProblems(slide),
  ]).concat(linkProblems(deck))
}

/**
 * What each step's run control costs on stage, from the scenarios' `stage:` and `on-stage:`:
 * the steps `stepsForRun` runs with it, each with its on-stage seconds (0 when staged, and for a
 * step that never runs on a cluster), for the pacing check in `timing.ts`.
 */
export function stageRuns(scenarios: readonly Scenario[]): StageRuns {
  const runs = new Map<string, Array<{ id: string, seconds: number }>>()
  for (const scenario of scenarios) {
    for (const step of scenario.steps) {
      runs.set(step.id, stepsForRun(scenario, step.name).map(ran => ({
        id: ran.id,
        seconds: ran.staged ? 0 : ran.onStageSeconds ?? 0,
      })))
    }
  }
  return runs
}
