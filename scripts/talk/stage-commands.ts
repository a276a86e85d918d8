// What a step's shell text does, read without running it: the manifests it applies (what
// `stage --reset` deletes) and whether it only reads (what `stage --check` may run). The
// snippets are one command or a tiny pipeline each, so a small scanner is enough: quotes,
// backslash-newline, comments, and the separators ; | & and newline. Anything it cannot vouch
// for (a command substitution, a redirection into a file) counts as not read-only.

export interface ScannedScript {
  /** The words of each simple command, in order. */
  commands: string[][]
  /** An unquoted `$(`, backtick or `>`: the script does more than its commands show. */
  opaque: boolean
}

export function scanScript(script: string): ScannedScript {
  const commands: string[][] = []
  let words: string[] = []
  let word: string | undefined
  let opaque = false
  const endWord = () => {
    if (word !== undefined)
      words.push(word)
    word = undefined
  }
  const endCommand = () => {
    endWord()
    if (words.length > 0)
      commands.push(words)
    words = []
  }
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!
    if (c === '\\') {
      if (script[i + 1] === '\n') {
        i++
        continue
      }
      word = (word ?? '') + (script[i + 1] ?? '')
      i++
    }
    else if (c === '\'') {
      const end = script.indexOf('\'', i + 1)
      const stop = end < 0 ? script.length : end
      word = (word ?? '') + script.slice(i + 1, stop)
      i = stop
    }
    else if (c === '"') {
      let text = ''
      for (i++; i < script.length && script[i] !== '"'; i++) {
        if (script[i] === '\\' && i + 1 < script.length)
          i++
        else if (script[i] === '$' && script[i + 1] === '(')
          opaque = true
        else if (script[i] === '`')
          opaque = true
        text += script[i]
      }
      word = (word ?? '') + text
    }
    else if (c === '#' && word === undefined) {
      while (i < script.length && script[i] !== '\n')
        i++
      endCommand()
    }
    else if (c === '\n' || c === ';' || c === '|' || c === '&') {
      endCommand()
    }
    else if (c === ' ' || c === '\t') {
      endWord()
    }
    else {
      if ((c === '$' && script[i + 1] === '(') || c === '`' || c === '>')
        opaque = true
      word = (word ?? '') + c
    }
  }
  endCommand()
  return { commands, opaque }
}

const MANIFEST = /^snippets\/apps\/[\w.-]+\.ya?ml$/

/** The demo manifests (snippets/apps/*.yaml) that `kubectl apply -f` applies in this script, namespace.yaml aside. */
export function appliedManifests(script: string): string[] {
  const found: string[] = []
  for (const words of scanScript(script).commands) {
    if (words[0] !== 'kubectl' || !words.includes('apply'))
      continue
    for (const [index, word] of words.entries()) {
      const file = word === '-f' || word === '--filename'
        ? words[index + 1]
        : /^(?:-f|--filename)=(.+)$/.exec(word)?.[1]
      if (file && MANIFEST.test(file) && !file.endsWith('/namespace.yaml') && !found.includes(file))
        found.push(file)
    }
  }
  return found
}

/** Commands that only print what they are given. */
const FILTERS = new Set(['jq', 'grep', 'sed', 'head', 'tail', 'cut', 'sort', 'tr', 'wc', 'echo', 'column'])

function readsOnly(words: readonly string[]): boolean {
  const [command, verb] = words
  if (command === 'kubectl')
    return verb === 'get' || verb === 'logs' || verb === 'describe'
  if (command === 'docker')
    return verb === 'exec' && ['cat', 'ls'].includes(words[3] ?? '')
  if (command === 'sed')
    return !words.some(word => /^-[a-z]*i/.test(word) || word === '--in-place')
  return FILTERS.has(command ?? '')
}

/** True when every command of the script only reads: kubectl get/logs/describe, docker exec cat/ls, and filters. */
export function isReadOnlyScript(script: string): boolean {
  const { commands, opaque } = scanScript(script)
  return !opaque && commands.length > 0 && commands.every(readsOnly)
}
