// One iptables rule of the nat table, in the subset of iptables syntax that linkerd-init and
// linkerd-cni use (proxy-init v2.4.9, pkg/iptables/iptables.go) and that iptables-save prints.

export type Target
  = | { kind: 'jump', chain: string }
    | { kind: 'return' }
    | { kind: 'accept' }
    | { kind: 'redirect', toPort: number }

export interface PortRange {
  from: number
  to: number
}

export interface AddressMatch {
  cidr: string
  negated: boolean
}

export interface InterfaceMatch {
  name: string
  negated: boolean
}

export interface RuleMatch {
  protocol?: 'tcp' | 'udp' | 'all'
  destinationPorts?: PortRange[]
  uidOwner?: number
  gidOwner?: number
  source?: AddressMatch
  destination?: AddressMatch
  inInterface?: InterfaceMatch
  outInterface?: InterfaceMatch
}

export interface Rule {
  chain: string
  match: RuleMatch
  target: Target
  comment?: string
}

export class RuleSyntaxError extends Error {
  override name = 'RuleSyntaxError'
}

/** Splits a rule the way a shell would for the quoting iptables-save uses ("..."). */
export function splitArguments(text: string): string[] {
  const words: string[] = []
  let current = ''
  let inWord = false
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (quoted) {
      if (char === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\'))
        current += text[++i]
      else if (char === '"')
        quoted = false
      else
        current += char
    }
    else if (char === '"') {
      quoted = true
      inWord = true
    }
    else if (char === ' ' || char === '\t') {
      if (inWord)
        words.push(current)
      current = ''
      inWord = false
    }
    else {
      current += char
      inWord = true
    }
  }
  if (quoted)
    throw new RuleSyntaxError('unterminated quote')
  if (inWord)
    words.push(current)
  return words
}

function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535)
    throw new RuleSyntaxError(`"${text}" is not a port`)
  return Number(text)
}

/** `4190,4191,4567:4568` (multiport, iptables syntax) into ranges. */
export function parsePortList(text: string): PortRange[] {
  return text.split(',').map((item) => {
    const [low, high, extra] = item.split(':')
    if (extra !== undefined || low === undefined)
      throw new RuleSyntaxError(`"${item}" is not a port or port range`)
    const from = parsePort(low)
    const to = high === undefined ? from : parsePort(high)
    if (to < from)
      throw new RuleSyntaxError(`port range "${item}" ends before it starts`)
    return { from, to }
  })
}

const KNOWN_MODULES = new Set(['multiport', 'owner', 'comment', 'tcp', 'udp'])
const PROTOCOLS = new Set(['tcp', 'udp', 'all'])

function parseTarget(name: string, toPort: number | undefined): Target {
  if (name === 'RETURN')
    return { kind: 'return' }
  if (name === 'ACCEPT')
    return { kind: 'accept' }
  if (name === 'REDIRECT') {
    if (toPort === undefined)
      throw new RuleSyntaxError('REDIRECT without --to-ports')
    return { kind: 'redirect', toPort }
  }
  if (!/^[A-Z][A-Z0-9_-]*$/.test(name))
    throw new RuleSyntaxError(`unsupported target "${name}"`)
  return { kind: 'jump', chain: name }
}

/**
 * Parses the words of one `-A CHAIN ...` rule, as iptables takes them (`--match multiport`,
 * `--to-port`) or as iptables-save prints them (`-m multiport`, `--to-ports`, quoted comment).
 * `-t nat` and iptables' `-w` are accepted and ignored.
 */
export function parseRuleArguments(words: readonly string[]): Rule {
  const match: RuleMatch = {}
  let chain: string | undefined
  let targetName: string | undefined
  let toPort: number | undefined
  let comment: string | undefined
  let negateNext = false

  for (let i = 0; i < words.length; i++) {
    const option = words[i]!
    const value = (): string => {
      const next = words[++i]
      if (next === undefined)
        throw new RuleSyntaxError(`${option} needs a value`)
      return next
    }
    const negated = negateNext
    negateNext = false
    switch (option) {
      case '!':
        negateNext = true
        break
      case '-t':
      case '--table':
        if (value() !== 'nat')
          throw new RuleSyntaxError('only the nat table is modelled')
        break
      case '-w':
      case '--wait':
        break
      case '-A':
      case '--append':
        chain = value()
        break
      case '-p':
      case '--protocol': {
        const protocol = value()
        if (!PROTOCOLS.has(protocol))
          throw new RuleSyntaxError(`unsupported protocol "${protocol}"`)
        match.protocol = protocol as RuleMatch['protocol']
        break
      }
      case '-m':
      case '--match': {
        const module = value()
        if (!KNOWN_MODULES.has(module))
          throw new RuleSyntaxError(`unsupported match module "${module}"`)
        break
      }
      case '--dports':
      case '--destination-ports':
      case '--dport':
      case '--destination-port':
        match.destinationPorts = parsePortList(value())
        break
      case '--uid-owner':
        match.uidOwner = parsePort(value())
        break
      case '--gid-owner':
        match.gidOwner = parsePort(value())
        break
      case '-s':
      case '--source':
        match.source = {
          cidr: value(),
          negated,
        }
        break
      case '-d':
      case '--destination':
        match.destination = {
          cidr: value(),
          negated,
        }
        break
      case '-i':
      case '--in-interface':
        match.inInterface = {
          name: value(),
          negated,
        }
        break
      case '-o':
      case '--out-interface':
        match.outInterface = {
          name: value(),
          negated,
        }
        break
      case '--comment':
        comment = value()
        break
      case '-j':
      case '--jump':
        targetName = value()
        break
      case '--to-port':
      case '--to-ports':
        toPort = parsePort(value())
        break
      default:
        throw new RuleSyntaxError(`unsupported option "${option}"`)
    }
    if (negated && ![
      '-s',
      '--source',
      '-d',
      '--destination',
      '-i',
      '--in-interface',
      '-o',
      '--out-interface',
    ].includes(option)) {
      throw new RuleSyntaxError(`"!" is not supported before ${option}`)
    }
  }
  if (chain === undefined)
    throw new RuleSyntaxError('rule without -A CHAIN')
  if (targetName === undefined)
    throw new RuleSyntaxError('rule without -j TARGET')
  const rule: Rule = {
    chain,
    match,
    target: parseTarget(targetName, toPort),
  }
  if (comment !== undefined)
    rule.comment = comment
  return rule
}

export function parseRule(text: string): Rule {
  return parseRuleArguments(splitArguments(text))
}

function formatPorts(ranges: readonly PortRange[]): string {
  return ranges.map(r => (r.from === r.to
    ? `${r.from}`
    : `${r.from}:${r.to}`)).join(',')
}

/** A rule as iptables-save prints it (the layout the deck shows and iptables-restore reads). */
export function formatRuleForSave(rule: Rule): string {
  const { match } = rule
  const parts = [`-A ${rule.chain}`]
  const not = (negated: boolean) => (negated ? '! ' : '')
  if (match.source)
    parts.push(`${not(match.source.negated)}-s ${match.source.cidr}`)
  if (match.destination)
    parts.push(`${not(match.destination.negated)}-d ${match.destination.cidr}`)
  if (match.inInterface)
    parts.push(`${not(match.inInterface.negated)}-i ${match.inInterface.name}`)
  if (match.outInterface)
    parts.push(`${not(match.outInterface.negated)}-o ${match.outInterface.name}`)
  if (match.protocol && match.protocol !== 'all')
    parts.push(`-p ${match.protocol}`)
  if (match.destinationPorts)
    parts.push(`-m multiport --dports ${formatPorts(match.destinationPorts)}`)
  if (match.uidOwner !== undefined || match.gidOwner !== undefined) {
    parts.push('-m owner')
    if (match.uidOwner !== undefined)
      parts.push(`--uid-owner ${match.uidOwner}`)
    if (match.gidOwner !== undefined)
      parts.push(`--gid-owner ${match.gidOwner}`)
  }
  if (rule.comment !== undefined)
    parts.push(`-m comment --comment "${rule.comment}"`)
  parts.push(`-j ${targetName(rule.target)}`)
  if (rule.target.kind === 'redirect')
    parts.push(`--to-ports ${rule.target.toPort}`)
  return parts.join(' ')
}

export function targetName(target: Target): string {
  switch (target.kind) {
    case 'jump': return target.chain
    case 'return': return 'RETURN'
    case 'accept': return 'ACCEPT'
    case 'redirect': return 'REDIRECT'
  }
}
