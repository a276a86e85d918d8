import type { Rule } from './rule'
import { formatRuleForSave, parseRule, parseRuleArguments, RuleSyntaxError } from './rule'

export interface Chain {
  name: string
  /** `ACCEPT` or `DROP` for a built-in chain, `null` for a user-defined one. */
  policy: 'ACCEPT' | 'DROP' | null
  rules: Rule[]
}

/** The nat table: chains in the order iptables-save lists them. */
export interface RuleSet {
  chains: Chain[]
}

export const BUILT_IN_NAT_CHAINS = ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'] as const

export class RuleSetError extends Error {
  override name = 'RuleSetError'
  constructor(readonly source: string, readonly line: number, readonly detail: string) {
    super(`${source}:${line}: ${detail}`)
  }
}

export function emptyNatTable(): RuleSet {
  return {
    chains: BUILT_IN_NAT_CHAINS.map(name => ({ name, policy: 'ACCEPT', rules: [] })),
  }
}

export function findChain(ruleSet: RuleSet, name: string): Chain | undefined {
  return ruleSet.chains.find(chain => chain.name === name)
}

function checkJumps(ruleSet: RuleSet, lineOf: (rule: Rule) => number, source: string): void {
  for (const chain of ruleSet.chains) {
    for (const rule of chain.rules) {
      if (rule.target.kind === 'jump' && !findChain(ruleSet, rule.target.chain))
        throw new RuleSetError(source, lineOf(rule), `jump to undefined chain ${rule.target.chain}`)
    }
  }
}

/**
 * Reads the nat table from iptables-save output. `firstLine` is the line number of the dump's
 * first line in `source`, so errors point into the file the dump came from.
 */
export function parseSaveDump(text: string, source = 'iptables-save output', firstLine = 1): RuleSet {
  const chains: Chain[] = []
  const lines = new Map<Rule, number>()
  let inNat = false
  let committed = false
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim()
    const lineNumber = firstLine + index
    const fail = (message: string) => {
      throw new RuleSetError(source, lineNumber, message)
    }
    if (line === '' || line.startsWith('#'))
      return
    if (line.startsWith('*')) {
      if (line !== '*nat')
        fail(`only the nat table is modelled, found ${line}`)
      inNat = true
      return
    }
    if (!inNat)
      fail(`"${line}" before *nat`)
    if (committed)
      fail(`"${line}" after COMMIT`)
    if (line === 'COMMIT') {
      committed = true
      return
    }
    if (line.startsWith(':')) {
      const declaration = /^:(\S+) (ACCEPT|DROP|-) \[\d+:\d+\]$/.exec(line)
      if (!declaration)
        fail(`malformed chain declaration "${line}"`)
      const [, name, policy] = declaration!
      if (chains.some(chain => chain.name === name))
        fail(`chain ${name} declared twice`)
      chains.push({
        name: name!,
        policy: policy === '-' ? null : policy as 'ACCEPT' | 'DROP',
        rules: [],
      })
      return
    }
    if (!line.startsWith('-A '))
      fail(`unexpected line "${line}"`)
    let rule: Rule
    try {
      rule = parseRule(line)
    }
    catch (error) {
      if (error instanceof RuleSyntaxError)
        fail(error.message)
      throw error
    }
    const chain = chains.find(c => c.name === rule!.chain)
    if (!chain)
      fail(`rule for undeclared chain ${rule!.chain}`)
    chain!.rules.push(rule!)
    lines.set(rule!, lineNumber)
  })
  if (!inNat)
    throw new RuleSetError(source, firstLine, 'no *nat table in the dump')
  if (!committed)
    throw new RuleSetError(source, firstLine, 'the nat table has no COMMIT line')
  const ruleSet = { chains }
  checkJumps(ruleSet, rule => lines.get(rule) ?? firstLine, source)
  return ruleSet
}

/** iptables-save layout of a rule set, ready for iptables-restore. */
export function formatSaveDump(ruleSet: RuleSet): string {
  const lines = ['*nat']
  for (const chain of ruleSet.chains)
    lines.push(`:${chain.name} ${chain.policy ?? '-'} [0:0]`)
  const builtIn = ruleSet.chains.filter(chain => chain.policy !== null)
  const userDefined = ruleSet.chains.filter(chain => chain.policy === null)
  for (const chain of [...builtIn, ...userDefined]) {
    for (const rule of chain.rules)
      lines.push(formatRuleForSave(rule))
  }
  lines.push('COMMIT')
  return `${lines.join('\n')}\n`
}

/**
 * Applies `iptables -t nat -N/-A` argument lists to an empty nat table, the way the kernel
 * would end up after linkerd-init ran them. User chains are listed sorted by name, as
 * iptables-save lists them.
 */
export function applyCommands(commands: readonly (readonly string[])[], source = 'commands'): RuleSet {
  const ruleSet = emptyNatTable()
  const userChains: Chain[] = []
  commands.forEach((words, index) => {
    const fail = (message: string) => {
      throw new RuleSetError(source, index + 1, message)
    }
    const create = words.indexOf('-N')
    if (create >= 0) {
      const name = words[create + 1]
      if (!name || findChain(ruleSet, name) || userChains.some(c => c.name === name))
        fail(`cannot create chain "${name ?? ''}"`)
      userChains.push({ name: name!, policy: null, rules: [] })
      return
    }
    let rule: Rule
    try {
      rule = parseRuleArguments(words)
    }
    catch (error) {
      if (error instanceof RuleSyntaxError)
        fail(error.message)
      throw error
    }
    const chain = findChain(ruleSet, rule!.chain) ?? userChains.find(c => c.name === rule!.chain)
    if (!chain)
      fail(`rule for chain ${rule!.chain}, which was never created`)
    chain!.rules.push(rule!)
  })
  userChains.sort((a, b) => a.name.localeCompare(b.name))
  return {
    chains: [...ruleSet.chains, ...userChains],
  }
}
