import type { Document, Node } from 'yaml'
import type { Problem } from './problem'
import { isMap, isScalar, LineCounter, parseAllDocuments, parseDocument } from 'yaml'

// The one way the checkers read YAML: the `yaml` package's documents with a LineCounter, so
// every problem can name the line of the key or value it is about.

/** Keys from a document's root down to a node: mapping keys and list indexes. */
export type YamlPath = ReadonlyArray<string | number>

export class YamlSource {
  constructor(
    /** As problems name it (relative to the project's root). */
    readonly file: string,
    readonly document: Document,
    readonly lines: LineCounter,
  ) {}

  /** The 1-based line a node starts on; 1 for a node that is not there. */
  lineOf(node: unknown): number {
    const offset = (node as Node | null | undefined)?.range?.[0]
    return offset === undefined ? 1 : this.lines.linePos(offset).line
  }

  /** The line of the deepest node that exists along `path`. */
  lineAt(path: YamlPath): number {
    for (let depth = path.length; depth > 0; depth--) {
      const node = this.document.getIn(path.slice(0, depth), true) as Node | undefined
      if (node?.range)
        return this.lineOf(node)
    }
    return this.lineOf(this.document.contents)
  }

  /** The line of `key` in the mapping at `path`, or of the mapping where the key is not there. */
  keyLineAt(path: YamlPath, key: string | number): number {
    const parent = this.document.getIn(path, true)
    const pair = isMap(parent)
      ? parent.items.find(item => isScalar(item.key) && item.key.value === key)
      : undefined
    return pair ? this.lineOf(pair.key) : this.lineAt(path)
  }

  problem(line: number, message: string): Problem {
    return { file: this.file, line, message }
  }
}

/** A JSON pointer (`/jobs/test/steps/0`, as ajv and other schema validators give) as a path. */
export function pathOfPointer(pointer: string): Array<string | number> {
  return pointer.split('/').slice(1).map(s => s.replaceAll('~1', '/').replaceAll('~0', '~')).map(s => /^\d+$/.test(s)
    ? Number(s)
    : s)
}

function syntaxProblem(file: string, text: string, lines: LineCounter, document: Document): Problem | undefined {
  const [error] = document.errors
  if (!error)
    return undefined
  // An error at the very end (an unclosed bracket) is reported on the last line that has text.
  const line = Math.min(lines.linePos(error.pos[0]).line, text.trimEnd().split('\n').length)
  return { file, line, message: `invalid YAML: ${error.message.split('\n')[0]}` }
}

/** One YAML document; `syntaxProblem` is set when it does not parse. */
export function parseYaml(file: string, text: string): { source: YamlSource, syntaxProblem?: Problem } {
  const lines = new LineCounter()
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false })
  const problem = syntaxProblem(file, text, lines, document)
  return problem
    ? {
        source: new YamlSource(file, document, lines),
        syntaxProblem: problem,
      }
    : {
        source: new YamlSource(file, document, lines),
      }
}

/** A stream of YAML documents (`---` between them), for Kubernetes manifests. */
export function parseYamlStream(file: string, text: string): { sources: YamlSource[], syntaxProblem?: Problem } {
  const lines = new LineCounter()
  const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false })
  if (!Array.isArray(documents)) {
    return {
      sources: [],
      syntaxProblem: { file, line: 1, message: 'not a YAML stream' },
    }
  }
  const sources = documents.map(document => new YamlSource(file, document, lines))
  for (const document of documents) {
    const problem = syntaxProblem(file, text, lines, document)
    if (problem)
      return { sources, syntaxProblem: problem }
  }
  return { sources }
}
