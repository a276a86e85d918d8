import type { RuleSet } from './rule-set'
import { splitArguments } from './rule'
import { parseSaveDump, RuleSetError } from './rule-set'

// linkerd-init (proxy-init v2.4.9) logs through logrus' TextFormatter: one line per entry,
// `time="…" level=info msg="…"`, the message quoted Go-style. It logs every iptables command it
// runs (`exec.Cmd.String()`: the resolved binary path, then the arguments unquoted) and, when
// a command prints something, that output as its own entry: the iptables-save dump before
// and after it changes the table.

export interface LoggedCommand {
  line: number
  binary: string
  arguments: string[]
}

export interface LoggedDump {
  line: number
  text: string
}

export interface LinkerdInitLog {
  commands: LoggedCommand[]
  /** Output of each `iptables-*-save -t nat` run, in order. */
  saveDumps: LoggedDump[]
}

const ENTRY = /^time="[^"]*" level=(\w+) msg=("(?:[^"\\]|\\.)*"|\S+)$/

function unquoteGo(quoted: string, fail: (message: string) => never): string {
  if (!quoted.startsWith('"'))
    return quoted
  const body = quoted.slice(1, -1)
  return body.replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|.)/gi, (_, code: string) => {
    switch (code[0]) {
      case 'n': return '\n'
      case 't': return '\t'
      case 'r': return '\r'
      case '"': return '"'
      case '\\': return '\\'
      case 'x':
      case 'u': return String.fromCharCode(Number.parseInt(code.slice(1), 16))
      default: return fail(`unknown escape \\${code}`)
    }
  })
}

export function parseLinkerdInitLog(text: string, source = 'linkerd-init log'): LinkerdInitLog {
  const commands: LoggedCommand[] = []
  const saveDumps: LoggedDump[] = []
  let lastWasSave = false
  text.split('\n').forEach((raw, index) => {
    const line = index + 1
    const fail = (message: string): never => {
      throw new RuleSetError(source, line, message)
    }
    if (raw.trim() === '')
      return
    const entry = ENTRY.exec(raw)
    if (!entry)
      fail('not a logrus text line (time="…" level=… msg=…)')
    const [, level, quoted] = entry!
    if (level === 'error' || level === 'fatal')
      fail(`linkerd-init logged an ${level}`)
    const message = unquoteGo(quoted!, fail)
    const words = splitArguments(message)
    const binary = words[0] ?? ''
    if (/(?:^|\/)ip6?tables(?:-nft|-legacy)?(?:-save)?$/.test(binary)) {
      commands.push({
        line,
        binary,
        arguments: words.slice(1),
      })
      lastWasSave = binary.endsWith('-save')
      return
    }
    if (lastWasSave) {
      saveDumps.push({ line, text: message })
      lastWasSave = false
      return
    }
    fail(`unexpected message "${message.slice(0, 60)}"`)
  })
  return { commands, saveDumps }
}

/** The nat table as linkerd-init's last iptables-save run printed it. */
export function finalNatTable(log: LinkerdInitLog, source = 'linkerd-init log'): RuleSet {
  const last = log.saveDumps.at(-1)
  if (!last)
    throw new RuleSetError(source, 1, 'the log has no iptables-save output')
  try {
    return parseSaveDump(last.text)
  }
  catch (error) {
    if (error instanceof RuleSetError)
      throw new RuleSetError(source, last.line, `save dump, its line ${error.line}: ${error.detail}`)
    throw error
  }
}

/** The `-N` and `-A` commands linkerd-init ran, without the save runs. */
export function ruleCommands(log: LinkerdInitLog): string[][] {
  return log.commands
    .filter(command => !command.binary.endsWith('-save'))
    .map(command => command.arguments)
}
