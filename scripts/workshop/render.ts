import type { PlaceholderName } from '../../model/snippet-session'
import type { GuideOutput, GuideScenario, GuideStep, WorkshopInput } from './input'
import { nodeVersion, pinsFromVersions, recordedOutputOf, verificationOf } from '../../model/live-verification'
import { DEFAULT_TIMEOUT_SECONDS } from '../snippet-check/scenarios'
import { VERIFIED_LIVE_FILE, VERSIONS_FILE } from './input'
import { fence, inlineCode, placeholderMark, readableOutput, Slugger, spokenDuration, table } from './markdown'
import { clusterRuns, FIRST, guideOrder, LAST, letterOf, needs, orderNotes } from './order'

// WORKSHOP.md, the attendees' follow-along guide, as a pure function of the snippet files
// (input.ts reads them). In the spirit of the 2022 workshop's README: for each scenario why it
// matters, then every step's comment, command and what it prints, in the talk's order.

export const TITLE = 'What really happens at startup: the follow-along guide'

/** What each placeholder stands for, as the legend explains it (the slides draw them the same way). */
export const PLACEHOLDER_LEGEND: Record<PlaceholderName, string> = {
  'hash': 'the generated part of a pod name: a ReplicaSet hash and a random suffix (`7c9d8b6f4-x2x9k`), or a Job pod\'s suffix',
  'age': 'the AGE column: how long ago the object was created (`2m10s`)',
  'duration': 'the DURATION column of `kubectl get jobs`: how long the Job has run',
  'restarts': 'a restart count, with how long ago the last restart was (`3 (40s ago)`)',
  'timestamp': 'the RFC 3339 timestamp at the start of a log line',
  'latest-edge': 'the newest edge release on the day you run it, as `versioncheck.linkerd.io` reports it',
  'os-arch': 'your machine\'s platform in the CLI\'s file name (`linux-amd64`, `darwin-arm64`, ...)',
  'digest': 'the SHA-256 digest of the CLI you downloaded',
  'curl-error': 'curl\'s error line; its wording depends on how the connection failed',
  'net-error': 'a network error message (`Connection refused (os error 111)`, a DNS failure); its wording depends on how the connection failed',
}

const SECTIONS = {
  contents: 'Contents',
  before: 'Before you start',
  need: 'What you need',
  terminal: 'In every terminal',
  dayBefore: 'The day before',
  running: 'Running the steps',
  reading: 'Reading this guide',
  order: 'Two clusters, and the order',
} as const

export function scenarioLabel(scenario: GuideScenario, appendix: boolean): string {
  if (appendix)
    return 'Appendix'
  if (scenario.name === FIRST)
    return 'Setup'
  if (scenario.name === LAST)
    return 'Cleanup'
  const letter = letterOf(scenario.name)
  return letter ? `${letter}.` : scenario.name
}

export function scenarioHeading(scenario: GuideScenario, appendix: boolean): string {
  const label = scenarioLabel(scenario, appendix)
  return label.endsWith('.')
    ? `${label} ${scenario.title}`
    : `${label}: ${scenario.title}`
}

export const NOT_SHOWN = 'not shown on the slides'

/** A step whose time limit is at least this long waits for something; the guide says how long it may take. */
export const LONG_STEP_SECONDS = 2 * DEFAULT_TIMEOUT_SECONDS

export function stepHeading(step: GuideStep): string {
  return step.hidden ? `${step.name} (${NOT_SHOWN})` : step.name
}

/** Every heading's anchor, computed in document order as GitHub numbers repeated ones. */
interface Anchors {
  section: Record<keyof typeof SECTIONS, string>
  scenario: Map<string, string>
  step: Map<string, string>
}

function anchors(sequence: readonly GuideScenario[], appendix: readonly GuideScenario[]): Anchors {
  const slugger = new Slugger()
  slugger.slug(TITLE)
  const section = {} as Record<keyof typeof SECTIONS, string>
  for (const [key, heading] of Object.entries(SECTIONS))
    section[key as keyof typeof SECTIONS] = slugger.slug(heading)
  const scenario = new Map<string, string>()
  const step = new Map<string, string>()
  for (const [list, isAppendix] of [[sequence, false], [appendix, true]] as const) {
    for (const s of list) {
      scenario.set(s.name, slugger.slug(scenarioHeading(s, isAppendix)))
      for (const t of s.steps)
        step.set(t.id, slugger.slug(stepHeading(t)))
    }
  }
  return { section, scenario, step }
}

function link(text: string, anchor: string | undefined): string {
  return anchor ? `[${text}](#${anchor})` : text
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}

function listJoin(items: readonly string[]): string {
  if (items.length <= 1)
    return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

/** A repository path as a link to it, shown as `text` (relative links work on GitHub). */
function pathLink(text: string, path: string): string {
  return `[${inlineCode(text)}](${path})`
}

/** A file as a link, shown by its name. */
function fileLink(file: string): string {
  return pathLink(file.split('/').at(-1)!, file)
}

interface Context {
  input: WorkshopInput
  anchors: Anchors
  pins: ReturnType<typeof pinsFromVersions>
}

function stepLink(context: Context, step: GuideStep): string {
  return link(inlineCode(step.id), context.anchors.step.get(step.id))
}

function scenarioLink(context: Context, scenario: GuideScenario): string {
  return link(inlineCode(scenario.name), context.anchors.scenario.get(scenario.name))
}

/** Where an output comes from, as the label beside it says. */
function provenance(context: Context, step: GuideStep): string {
  if (!step.live)
    return 'derived; the live check never runs this step'
  const verification = verificationOf(step.id, context.input.report, context.pins)
  if (verification.status === 'unverified' && verification.reason !== 'not yet verified live')
    return `derived; ${verification.reason}`
  return 'derived, not yet verified live'
}

function recordedLabel(record: { date: string }): string {
  return `recorded live on ${record.date}`
}

function outputBlock(output: GuideOutput): string {
  if (output.text.trim() === '')
    return '*(prints nothing)*'
  return fence('text', readableOutput(output.text, output.file).text)
}

function recordedBlock(text: string): string {
  return text.trim() === '' ? '*(printed nothing)*' : fence('text', text.replace(/\n+$/, ''))
}

/** Commands that would change or close an interactive shell if pasted into it. */
export function shellChangingCommands(commandLines: readonly string[]): string[] {
  const found: string[] = []
  for (const line of commandLines) {
    if (/^\s*#/.test(line))
      continue
    const set = /^\s*(set\s+[-+][\w-]+(?:\s+[-+]?\w+)*)/.exec(line)?.[1]
    if (set && !found.includes(set))
      found.push(set)
    if (/(?:^|[\s;(])trap\s/.test(line) && !found.includes('trap'))
      found.push('trap')
    if (/(?:^|[\s;(])exit(?:\s|;|$)/.test(line) && !found.includes('exit'))
      found.push('exit')
  }
  return found
}

function stepNotes(context: Context, scenario: GuideScenario, step: GuideStep): string[] {
  const notes: string[] = []
  if (step.createsCluster && scenario.cluster)
    notes.push(`This step creates the kind cluster ${inlineCode(scenario.cluster)}, and kind switches kubectl to it.`)
  const changing = shellChangingCommands(step.commandLines)
  if (changing.length > 0)
    notes.push(`Run this one as a file, ${inlineCode(`bash ${step.file}`)}: pasted into your terminal, its ${listJoin(changing.map(c => inlineCode(c)))} would act on your shell itself.`)
  if (scenario.live && !step.live && step.why)
    notes.push(`The live check never runs this step (${step.why}), so its output will not be recorded live.`)
  if (step.timeoutSeconds >= LONG_STEP_SECONDS)
    notes.push(`It can take a while: the live check gives it up to ${spokenDuration(step.timeoutSeconds)}.`)
  if (step.poll)
    notes.push(`What it shows can take a few seconds to settle (the live check runs it every ${spokenDuration(step.poll.everySeconds)}, for up to ${spokenDuration(step.poll.deadlineSeconds)}, until it matches): if yours differs, run it again a few seconds later.`)
  return notes
}

/** The exit status a step's `.out` belongs to, as a label. */
function primaryLabel(step: GuideStep, source: string): string {
  const [first] = step.exit
  if (step.exit.length === 1 && first === 0)
    return `**Expected output** (${source}):`
  if (step.exit.length === 1)
    return `**Expected to fail:** it exits with status ${first}, not 0, and prints (${source}):`
  return `**Expected output** when it exits with status ${first} (${source}):`
}

function stepOutputs(context: Context, scenario: GuideScenario, step: GuideStep): string[] {
  const blocks: string[] = []
  const recorded = step.live ? recordedOutputOf(step.id, context.input.report, context.pins) : undefined
  const source = provenance(context, step)
  const several = step.exit.length > 1 || step.alternatives.length > 0
  const record = context.input.report.scenarios.find(r => r.scenario === step.scenario && r.steps.includes(step.name))
  const pinsOfRecord = record
    ? `with Linkerd ${record.linkerdVersion} and kind node ${nodeVersion(record.kindNodeImage)}`
    : ''

  if (recorded) {
    const label = `${recordedLabel(recorded)} ${pinsOfRecord}`
    if (!step.expected)
      blocks.push(`**What it printed** when ${label}; nothing compares it, and yours will differ in the details:`)
    else if (several)
      blocks.push(`**What it printed** when ${label}, one of the correct outcomes below:`)
    else
      blocks.push(primaryLabel(step, label))
    blocks.push(recordedBlock(recorded.output))
    if (!several || !step.expected)
      return blocks
  }
  if (!step.expected) {
    const statuses = step.exit.length === 1 && step.exit[0] === 0
      ? 'with status 0'
      : `with status ${listJoin(step.exit.map(String)).replace(' and ', ' or ')}`
    blocks.push(guideOrder(context.input.scenarios).appendix.includes(scenario)
      ? '*No expected output: it reports on your own cluster, whatever state that is in.*'
      : `*No expected output: what it prints varies from run to run. It worked if it exits ${statuses}.*`)
    return blocks
  }
  blocks.push(primaryLabel(step, source))
  blocks.push(outputBlock(step.expected))
  for (const outcome of step.exitOutcomes) {
    blocks.push(`**Or it exits with status ${outcome.status}, which is also correct**, and prints (${source}; ${fileLink(outcome.file)}):`)
    blocks.push(outputBlock(outcome))
  }
  for (const alternative of step.alternatives) {
    blocks.push(`**Or this, which is also correct** (${source}; ${fileLink(alternative.file)}), printed when ${alternative.reason.replace(/[.\s]+$/, '')}:`)
    blocks.push(outputBlock(alternative))
  }
  return blocks
}

function renderStep(context: Context, scenario: GuideScenario, step: GuideStep): string[] {
  return [
    `### ${stepHeading(step)}`,
    `${fileLink(step.file)}: ${step.description}`,
    fence('bash', step.commandLines.join('\n').replace(/^\n+|\n+$/g, '')),
    ...stepNotes(context, scenario, step),
    ...stepOutputs(context, scenario, step),
  ]
}

/** Steps the terminal driver never runs: the CLI's install and the steps that create a cluster. */
function stepsByHand(sequence: readonly GuideScenario[]): GuideStep[] {
  return sequence.filter(s => s.live).flatMap(s => s.steps).filter(step => !step.live || step.createsCluster)
}

function renderScenario(context: Context, scenario: GuideScenario, appendix: boolean): string[] {
  const { sequence } = guideOrder(context.input.scenarios)
  const facts: string[] = []
  if (scenario.cluster)
    facts.push(`- **Cluster:** ${inlineCode(scenario.cluster)}`)
  if (!appendix && scenario.live) {
    const earlier = needs(context.input.scenarios, scenario).filter(s => sequence.indexOf(s) < sequence.indexOf(scenario))
    facts.push(`- **Needs first:** ${earlier.length > 0
      ? listJoin(earlier.map(s => scenarioLink(context, s)))
      : 'nothing'}`)
    const note = orderNotes(context.input.scenarios, sequence).find(n => n.scenario === scenario)
    if (note)
      facts.push(`- **Order:** its ${inlineCode('after:')} also names ${listJoin(note.later.map(s => scenarioLink(context, s)))}, which comes later in this guide; see ${link(SECTIONS.order, context.anchors.section.order)}.`)
  }
  const hidden = scenario.steps.filter(step => step.hidden).length
  facts.push(`- **Steps:** ${scenario.steps.length}, in ${pathLink(`snippets/${scenario.name}/`, `snippets/${scenario.name}/`)}${hidden > 0
    ? `; ${hidden} ${NOT_SHOWN}`
    : ''}`)
  if (scenario.live) {
    const byHand = scenario.steps.filter(step => !step.live || step.createsCluster)
    facts.push(`- **With the driver:** ${inlineCode(`npm run demo -- ${scenario.name}`)}${byHand.length > 0
      ? `, once you have run ${listJoin(byHand.map(step => inlineCode(step.name)))} by hand (the driver never does)`
      : ''}`)
  }
  else if (scenario.why) {
    facts.push(`- **Never run by the live check:** ${scenario.why}`)
  }
  return [
    `## ${scenarioHeading(scenario, appendix)}`,
    ...(scenario.intro ? [scenario.intro] : []),
    facts.join('\n'),
    ...scenario.steps.flatMap(step => renderStep(context, scenario, step)),
  ]
}

interface OutputCounts {
  /** Steps showing what a live run printed. */
  recorded: number
  /** Steps showing a derived expected output. */
  derivedSteps: number
  /** Further derived outputs: other exit statuses' and alternatives' (and a recorded step's own .out). */
  derivedOthers: number
  /** The placeholders in the derived outputs shown. */
  placeholders: PlaceholderName[]
}

/** What the guide shows: recorded outputs, derived ones, and the placeholders in them. */
function outputCounts(context: Context, scenarios: readonly GuideScenario[]): OutputCounts {
  const counts: OutputCounts = {
    recorded: 0,
    derivedSteps: 0,
    derivedOthers: 0,
    placeholders: [],
  }
  for (const step of scenarios.flatMap(s => s.steps)) {
    const record = step.live ? recordedOutputOf(step.id, context.input.report, context.pins) : undefined
    const others = [...step.exitOutcomes, ...step.alternatives]
    const several = others.length > 0
    let shown: GuideOutput[] = []
    if (record) {
      counts.recorded++
      if (several && step.expected)
        shown = [step.expected, ...others]
      counts.derivedOthers += shown.length
    }
    else if (step.expected) {
      counts.derivedSteps++
      counts.derivedOthers += others.length
      shown = [step.expected, ...others]
    }
    for (const output of shown) {
      for (const name of readableOutput(output.text, output.file).placeholders) {
        if (!counts.placeholders.includes(name))
          counts.placeholders.push(name)
      }
    }
  }
  return counts
}

function statusParagraph(context: Context, counts: OutputCounts): string {
  const current = (r: { linkerdVersion: string, kindNodeImage: string }) => r.linkerdVersion === context.pins.linkerdVersion && r.kindNodeImage === context.pins.kindNodeImage
  const runs = context.input.report.scenarios.filter(current).map(r => `${inlineCode(r.scenario)} on ${r.date}`)
  const older = context.input.report.scenarios.filter(r => !current(r)).map(r => `${inlineCode(r.scenario)} on ${r.date}`)
  const derivedOnes = [
    counts.derivedSteps > 0 ? `the expected outputs of ${counts.derivedSteps} steps` : '',
    counts.derivedOthers > 0 ? `${counts.derivedOthers} other outputs that steps may print` : '',
  ].filter(Boolean)
  const sources = `from the source code and documentation of the tools at the pinned versions (${inlineCode('SOURCES.md')} says where each comes from)`
  const olderNote = older.length > 0
    ? ` Recordings made with other pins (${listJoin(older)}) are not used.`
    : ''
  if (counts.recorded === 0) {
    return `**Where the outputs come from.** No output below has been recorded on a live cluster yet: ${listJoin(derivedOnes)} are all derived ${sources}, and each is marked *derived, not yet verified live*. `
      + `When ${inlineCode('npm run check:snippets -- --live')} passes a scenario with the current pins, ${inlineCode(VERIFIED_LIVE_FILE)} records what its steps printed, and this guide then shows that instead, with the date.${olderNote}`
  }
  return `**Where the outputs come from.** ${plural(counts.recorded, 'step shows what it', 'steps show what they')} printed on a live kind cluster, marked *recorded live* with the date (${listJoin(runs)}, with Linkerd ${inlineCode(context.pins.linkerdVersion)} and kind node ${inlineCode(nodeVersion(context.pins.kindNodeImage))}, the current pins).${
    derivedOnes.length > 0
      ? ` The rest, ${listJoin(derivedOnes)}, are derived ${sources}, marked *derived*: not yet verified live.`
      : ''
  }${olderNote}`
}

function kubectlSkew(kubernetes: string): string {
  const match = /^v?(\d+)\.(\d+)/.exec(kubernetes)
  if (!match)
    return `within one minor version of Kubernetes ${inlineCode(kubernetes)}`
  const major = Number(match[1])
  const minor = Number(match[2])
  return `within one minor version of Kubernetes ${inlineCode(kubernetes)}, so ${major}.${minor - 1} to ${major}.${minor + 1}`
}

function beforeYouStart(context: Context, sequence: readonly GuideScenario[], placeholders: readonly PlaceholderName[]): string[] {
  const v = context.input.versions
  const all = context.input.scenarios.flatMap(s => s.steps)
  const installCli = all.find(step => !step.live && step.scenario === FIRST)
  const byHand = stepsByHand(sequence)
  const example = sequence.flatMap(s => s.steps).find(step => step.live && !step.hidden && step.expected)
  const anchorsOf = context.anchors.section
  return [
    `## ${SECTIONS.before}`,
    `### ${SECTIONS.need}`,
    [
      '- **Docker**, running, with room for two single-node kind clusters side by side (`npm run preflight` checks its memory and CPUs).',
      `- **kind** ${inlineCode(v.KIND_VERSION!)}, which creates each cluster from the node image ${inlineCode(v.KIND_NODE_IMAGE!)} (Kubernetes ${inlineCode(v.KUBERNETES_VERSION!)}).`,
      `- **kubectl** ${kubectlSkew(v.KUBERNETES_VERSION!)}.`,
      `- **The Linkerd CLI** ${inlineCode(v.LINKERD_VERSION!)}, the open-source build of Linkerd ${v.LINKERD_MAJOR}${installCli
        ? `: ${stepLink(context, installCli)} installs it into ${inlineCode('~/.linkerd2/bin')}`
        : ''}.`,
      '- **curl**, **jq**, and `sha256sum` or `shasum`.',
      '- **Node.js and npm** (the README\'s "Set-up: two commands" says which versions) for `npm run preflight` and `npm run demo`, after `npm install` in this repository.',
      '- **On Linux**, inotify limits high enough for two clusters; `npm run preflight` says whether yours are, and how to raise them.',
    ].join('\n'),
    `Every version is pinned in ${pathLink(VERSIONS_FILE, VERSIONS_FILE)}:`,
    table(['Pin', 'Value'], Object.entries(v).map(([key, value]) => [inlineCode(key), inlineCode(value)])),
    `### ${SECTIONS.terminal}`,
    fence('bash', [
      'cd path/to/this/repository                      # every step runs from the repository root',
      'set -a; source snippets/versions.env; set +a    # the pins, exported for the steps',
      'export PATH="$HOME/.linkerd2/bin:$PATH"         # the Linkerd CLI, once it is installed',
    ].join('\n')),
    'The steps read the pins from the environment and name files relative to the repository root (`snippets/apps/server.yaml`).',
    `### ${SECTIONS.dayBefore}`,
    fence('bash', [
      'npm install',
      ...(installCli
        ? [
            '# the pinned Linkerd CLI, into ~/.linkerd2/bin (it needs the pins in its environment)',
            `(set -a; source snippets/versions.env; set +a; bash ${installCli.file})`,
          ]
        : []),
      'npm run preflight -- --pull',
    ].join('\n')),
    `${installCli
      ? `The CLI's install is ${stepLink(context, installCli)}, run early so that the check below finds it (running it again later is harmless). `
      : ''}`
      + '`npm run preflight` checks everything above, one line per check, with the fix for anything missing, and exits non-zero when something would block the hands-on. '
      + '`--pull` also pulls every pinned image ahead of time (the kind node image, Linkerd\'s images and the demo apps\' images), so the workshop does not depend on the venue\'s network.',
    `### ${SECTIONS.running}`,
    `**By hand**, as this guide shows them: run the scenarios in the order below and, in each, every step in order, those marked *${NOT_SHOWN}* included: the talk ran them before it started or off-screen (installs, waits, switching clusters), and the steps after them need them. `
    + `Paste a step's command, or run its file${example
      ? ` (${inlineCode(`bash ${example.file}`)})`
      : ''}: it is the same command. A step that must run as a file says so.`,
    `**With the driver**, ${inlineCode('npm run demo -- <scenario>')}: for each step it shows the comment and the command, runs it when you press Enter, and compares what it printed with the expected output (${inlineCode('r')} retries, ${inlineCode('s')} skips, ${inlineCode('q')} quits). `
    + `It runs the steps ${NOT_SHOWN} quietly, ${inlineCode('--from NN')} resumes at a step, and ${inlineCode('--dry-run')} prints every command and expected output without a cluster. `
    + `It only ever uses the scenario's own kind cluster, through a kubeconfig of its own, never your current context.${byHand.length > 0
      ? ` It never installs the CLI or creates a cluster: run ${listJoin(byHand.map(step => stepLink(context, step)))} by hand first.`
      : ''}`,
    `### ${SECTIONS.reading}`,
    [
      '- Each scenario starts with why it matters, the cluster it runs on and what must run before it; then come its steps, each with its file and comment (line 2 of the file), its command and what it prints.',
      `- *${NOT_SHOWN[0]!.toUpperCase()}${NOT_SHOWN.slice(1)}* marks a step the talk ran before it started or off-screen. You need it all the same.`,
      '- *Derived* outputs come from the tools\' sources and documentation and have not been seen on a live cluster yet; *recorded live* ones are what a live run printed, with its date and pins.',
      '- Your output will differ in column widths (kubectl sizes columns to the real names) and wherever the guide shows a placeholder (below).',
      '- Where no output is shown, what the step prints varies from run to run (installs, `kubectl apply`, waits): it worked if it exits with status 0. `echo $?` right after a step prints its exit status.',
      '- A step that is meant to exit with another status, or that may print one of two outputs for a reason outside your cluster (the network, a race), says so where it happens.',
    ].join('\n'),
    ...(placeholders.length > 0
      ? [
          'Placeholders stand for the parts of an output that change from run to run:',
          table(['Placeholder', 'Stands for'], (Object.keys(PLACEHOLDER_LEGEND) as PlaceholderName[]).filter(name => placeholders.includes(name)).map(name => [
            inlineCode(placeholderMark(name)),
            PLACEHOLDER_LEGEND[name],
          ])),
        ]
      : []),
    `Where the talk's order and ${inlineCode('after:')} differ, ${link(SECTIONS.order, anchorsOf.order)} explains it.`,
  ]
}

function orderSection(context: Context, sequence: readonly GuideScenario[]): string[] {
  const scenarios = context.input.scenarios
  const clusters = [...new Set(sequence.filter(s => s.live && s.cluster).map(s => s.cluster!))]
  const creator = (cluster: string) => scenarios.flatMap(s => s.steps.filter(step => step.createsCluster && s.cluster === cluster))[0]
  const rows = clusters.map((cluster) => {
    const step = creator(cluster)
    return [
      inlineCode(cluster),
      step ? stepLink(context, step) : '',
      sequence.filter(s => s.live && s.cluster === cluster).map(s => scenarioLink(context, s)).join(', '),
    ]
  })
  const labels = sequence.map(s => scenarioLabel(s, false).replace(/\.$/, '').toLowerCase())
  const selfSelecting = (s: GuideScenario) => s.steps.some(step => step.createsCluster)
    || s.steps.some(step => step.commandLines.some(line => /kubectl config use-context/.test(line)))
  const notSelecting = sequence.filter(s => s.live && !selfSelecting(s))
  const blocks = [
    `## ${SECTIONS.order}`,
    `The hands-on part runs on ${clusters.length === 2
      ? 'two'
      : clusters.length} kind clusters, side by side:`,
    table(['Cluster', 'Created by', 'Scenarios'], rows),
    `This guide follows the talk's order: ${listJoin(labels)}. It switches between the clusters as the talk does. ${
      notSelecting.length === 0
        ? 'Each scenario begins by pointing kubectl at its cluster (or by creating it), so you can run them in this order by hand.'
        : `Each scenario runs on the cluster its header names; ${listJoin(notSelecting.map(s => scenarioLink(context, s)))} does not select it itself, so point kubectl at it first (${inlineCode('kubectl config use-context kind-<cluster>')}).`}`,
  ]
  for (const note of orderNotes(scenarios, sequence)) {
    const later = listJoin(note.later.map(s => inlineCode(s.name)))
    blocks.push(`**${inlineCode(note.scenario.name)} before ${later}.** ${inlineCode(note.scenario.manifest)} says ${inlineCode(`after: [${note.scenario.after.join(', ')}]`)}, so staging (${inlineCode('npm run stage')}) and the live check run ${later} first: they prepare every scenario ahead of time and leave it waiting for the talk. `
      + `Run by hand, each scenario runs to its end before the next, and ${inlineCode(note.scenario.name)} leaves its cluster working (see its intro), so the talk's order works too.`)
  }
  const runs = clusterRuns(scenarios, sequence)
  if (runs.length > 1) {
    const described = runs.map(run => `on ${inlineCode(run.cluster)}, ${listJoin(run.scenarios.map(s => inlineCode(s.name)))}`)
    blocks.push(`**One cluster at a time.** To switch clusters less, run the scenarios in the order staging uses: ${described.join('; then ')}. That order works as well.`)
  }
  return blocks
}

export function renderWorkshop(input: WorkshopInput): string {
  const { sequence, appendix } = guideOrder(input.scenarios)
  const context: Context = {
    input,
    anchors: anchors(sequence, appendix),
    pins: pinsFromVersions(input.versions),
  }
  const counts = outputCounts(context, [...sequence, ...appendix])
  const sectionAnchor = context.anchors.section
  const contents = [
    `- ${link(SECTIONS.before, sectionAnchor.before)}`,
    ...([
      'need',
      'terminal',
      'dayBefore',
      'running',
      'reading',
    ] as const).map(key => `  - ${link(SECTIONS[key], sectionAnchor[key])}`),
    `- ${link(SECTIONS.order, sectionAnchor.order)}`,
    ...sequence.map(s => `- ${link(scenarioHeading(s, false), context.anchors.scenario.get(s.name))}`),
    ...appendix.map(s => `- ${link(scenarioHeading(s, true), context.anchors.scenario.get(s.name))}`),
  ].join('\n')
  const blocks = [
    `# ${TITLE}`,
    `> Generated by ${inlineCode('npm run write:workshop')} from ${inlineCode('snippets/')}: each scenario's ${inlineCode('scenario.yaml')}, its step files, ${inlineCode(VERSIONS_FILE)} and ${inlineCode(VERIFIED_LIVE_FILE)}. `
    + `Edit those, not this file; ${inlineCode('npm run write:workshop -- --check')} says when it is out of date.`,
    'The hands-on part of the workshop, written out: every command the talk runs on its kind clusters, in the talk\'s order, each with what it should print. '
    + 'Follow along during the talk, at your own pace, or afterwards.',
    statusParagraph(context, counts),
    `## ${SECTIONS.contents}`,
    contents,
    ...beforeYouStart(context, sequence, counts.placeholders),
    ...orderSection(context, sequence),
    ...sequence.flatMap(s => renderScenario(context, s, false)),
    ...appendix.flatMap(s => renderScenario(context, s, true)),
  ]
  return `${blocks.join('\n\n')}\n`
}
