import type { Problem } from '../core/problem'
import type { YamlSource } from '../core/yaml'
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import Ajv from 'ajv'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { Job } from 'kubernetes-models/batch/v1/Job'
import { Namespace } from 'kubernetes-models/v1/Namespace'
import { Pod } from 'kubernetes-models/v1/Pod'
import { Service } from 'kubernetes-models/v1/Service'
import ts from 'typescript'
import { isScalar, isSeq } from 'yaml'
import { parseYamlStream } from '../core/yaml'
import { KIND_CLUSTER_SCHEMA, kubeadmPatchProblems } from './kind-cluster-schema'
import { isLinkerdKey, judgeLinkerdKey } from './linkerd-annotations'
import { SnippetInputError } from './scenarios'

// Kubernetes manifests checked against the API schemas of kubernetes-models 5.1: Kubernetes
// v1.36.0 (its CHANGELOG, 5.0.0). No release carries the pinned v1.35's schemas (4.5 had
// v1.33.0's), and a v1 API keeps every GA and beta field, so nothing valid on 1.35 is refused
// here; a field new in 1.36 passes here and is refused by the live check's v1.35 API server
// (kubectl's --validate=strict). Plus kind's Cluster config against its v1alpha4 types.

interface ModelClass {
  new (data: object): { validate: () => void }
}

/** apiVersion/kind → the kubernetes-models class and the module its interface comes from. */
const MODELS: Record<string, { model: ModelClass, module: string, type: string }> = {
  'v1/Namespace': { model: Namespace as unknown as ModelClass, module: 'kubernetes-models/v1/Namespace', type: 'INamespace' },
  'v1/Service': { model: Service as unknown as ModelClass, module: 'kubernetes-models/v1/Service', type: 'IService' },
  'v1/Pod': { model: Pod as unknown as ModelClass, module: 'kubernetes-models/v1/Pod', type: 'IPod' },
  'apps/v1/Deployment': { model: Deployment as unknown as ModelClass, module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
  'batch/v1/Job': { model: Job as unknown as ModelClass, module: 'kubernetes-models/batch/v1/Job', type: 'IJob' },
}

export interface ManifestDocument {
  file: string
  index: number
  source: YamlSource
  value: Record<string, unknown>
}

type PathKey = string | number

export function readManifests(root: string, file: string): ManifestDocument[] {
  const relativeFile = relative(root, file)
  const { sources, syntaxProblem } = parseYamlStream(relativeFile, readFileSync(file, 'utf8'))
  if (syntaxProblem)
    throw new SnippetInputError(syntaxProblem.file, syntaxProblem.line, syntaxProblem.message)
  return sources.map((source, index) => {
    const value = source.document.toJS() as unknown
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new SnippetInputError(relativeFile, source.lineOf(source.document.contents), 'a manifest must be a mapping with apiVersion and kind')
    return {
      file: relativeFile,
      index,
      source,
      value: value as Record<string, unknown>,
    }
  })
}

function schemaProblems(doc: ManifestDocument): Problem[] {
  const { apiVersion, kind } = doc.value
  if (apiVersion === 'kind.x-k8s.io/v1alpha4')
    return kindClusterProblems(doc)
  const entry = MODELS[`${String(apiVersion)}/${String(kind)}`]
  if (!entry) {
    return [
      {
        file: doc.file,
        line: doc.source.lineAt(['kind']),
        message: `no schema here for ${String(apiVersion)} ${String(kind)} (known: ${Object.keys(MODELS).join(', ')})`,
      },
    ]
  }
  try {
    const Model = entry.model
    new Model(doc.value).validate()
    return []
  }
  catch (error) {
    const errors = (error as { errors?: { instancePath: string, message?: string, params?: Record<string, unknown> }[] }).errors
    if (!errors)
      throw error
    return errors.map((e) => {
      const path = e.instancePath.split('/').slice(1).map(part => (/^\d+$/.test(part) ? Number(part) : part))
      const field = e.instancePath || '(document)'
      const detail = e.params?.missingProperty
        ? ` (${String(e.params.missingProperty)})`
        : e.params?.allowedValues ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''
      return {
        file: doc.file,
        line: doc.source.lineAt(path),
        message: `${String(kind)} ${field}: ${e.message ?? 'invalid'}${detail}`,
      }
    })
  }
}

let clusterValidator: ReturnType<Ajv['compile']> | undefined

function kindClusterProblems(doc: ManifestDocument): Problem[] {
  clusterValidator ??= new Ajv({ allErrors: true }).compile(KIND_CLUSTER_SCHEMA)
  if (clusterValidator(doc.value))
    return []
  return (clusterValidator.errors ?? []).map((e) => {
    const path = e.instancePath.split('/').slice(1).map(part => (/^\d+$/.test(part) ? Number(part) : part))
    const extra = e.params as { additionalProperty?: string, allowedValues?: unknown[] }
    if (extra.additionalProperty) {
      return {
        file: doc.file,
        line: doc.source.keyLineAt(path, extra.additionalProperty),
        message: `kind Cluster ${e.instancePath || '(top level)'}: unknown field "${extra.additionalProperty}"`,
      }
    }
    const allowed = extra.allowedValues ? ` (${extra.allowedValues.join(', ')})` : ''
    return {
      file: doc.file,
      line: doc.source.lineAt(path),
      message: `kind Cluster ${e.instancePath || '(top level)'}: ${e.message ?? 'invalid'}${allowed}`,
    }
  })
}

/** The kubelet's version is the node image's tag (`kindest/node:v1.35.0@sha256:…`); KUBERNETES_VERSION if there is none. */
function nodeKubernetesVersion(pins: Readonly<Record<string, string>>): string | undefined {
  return /:(v\d+\.\d+\.\d+)/.exec(pins.KIND_NODE_IMAGE ?? '')?.[1] ?? pins.KUBERNETES_VERSION
}

/**
 * What is inside a kind Cluster's kubeadmConfigPatches strings (cluster-wide and per node),
 * reported on the line of the patch's own text.
 */
export function kindPatchProblems(doc: ManifestDocument, pins: Readonly<Record<string, string>>): Problem[] {
  if (doc.value.apiVersion !== 'kind.x-k8s.io/v1alpha4')
    return []
  const lists: PathKey[][] = [['kubeadmConfigPatches']]
  const nodes = doc.value.nodes
  if (Array.isArray(nodes))
    nodes.forEach((_, i) => lists.push(['nodes', i, 'kubeadmConfigPatches']))
  const problems: Problem[] = []
  for (const path of lists) {
    const list = doc.source.document.getIn(path, true)
    if (!isSeq(list))
      continue
    for (const item of list.items) {
      if (!isScalar(item) || typeof item.value !== 'string')
        continue
      // A block scalar's text starts on the line after its `|` or `>`.
      const block = item.type === 'BLOCK_LITERAL' || item.type === 'BLOCK_FOLDED'
      const first = doc.source.lineOf(item) + (block ? 1 : 0)
      const context = {
        kubernetesVersion: nodeKubernetesVersion(pins),
        featureGates: doc.value.featureGates,
      }
      for (const problem of kubeadmPatchProblems(item.value, context))
        problems.push({ file: doc.file, line: first + problem.line - 1, message: problem.message })
    }
  }
  return problems
}

interface KeyPosition {
  start: number
  parent: PathKey[]
  key: string
}

/** Writes a value as a TypeScript literal, noting where each object key starts. */
function toLiteral(value: unknown, path: PathKey[], out: { text: string, keys: KeyPosition[] }): void {
  if (Array.isArray(value)) {
    out.text += '['
    value.forEach((item, i) => {
      if (i > 0)
        out.text += ','
      toLiteral(item, [...path, i], out)
    })
    out.text += ']'
  }
  else if (value !== null && typeof value === 'object') {
    out.text += '{'
    Object.entries(value).forEach(([key, item], i) => {
      if (i > 0)
        out.text += ','
      out.keys.push({ start: out.text.length, parent: path, key })
      out.text += `${JSON.stringify(key)}:`
      toLiteral(item, [...path, key], out)
    })
    out.text += '}'
  }
  else {
    out.text += JSON.stringify(value)
  }
}

/**
 * Fields the API does not have. kubernetes-models' validators allow unknown fields, and a
 * misspelt field is the commonest manifest bug, so each manifest is also type-checked as an
 * object literal of the model's interface: TypeScript reports every property it doesn't know.
 */
export function unknownFieldProblems(root: string, docs: readonly ManifestDocument[]): Problem[] {
  const checked = docs.filter(doc => MODELS[`${String(doc.value.apiVersion)}/${String(doc.value.kind)}`])
  if (checked.length === 0)
    return []
  const out = { text: '', keys: [] as KeyPosition[] }
  const owners: { from: number, doc: ManifestDocument, keys: KeyPosition[] }[] = []
  checked.forEach((doc, i) => {
    const entry = MODELS[`${String(doc.value.apiVersion)}/${String(doc.value.kind)}`]!
    out.text += `import type { ${entry.type} as T${i} } from '${entry.module}'\n`
  })
  checked.forEach((doc, i) => {
    out.text += `export const m${i}: T${i} = `
    const from = out.keys.length
    toLiteral(doc.value, [], out)
    owners.push({
      from,
      doc,
      keys: out.keys.slice(from),
    })
    out.text += '\n'
  })
  const virtualFile = join(root, '__snippet_manifests__.ts')
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: [],
  }
  const host = ts.createCompilerHost(options)
  const readFile = host.readFile.bind(host)
  const getSourceFile = host.getSourceFile.bind(host)
  host.readFile = name => (name === virtualFile ? out.text : readFile(name))
  host.fileExists = name => name === virtualFile || ts.sys.fileExists(name)
  host.getSourceFile = (name, version) => (name === virtualFile
    ? ts.createSourceFile(name, out.text, version)
    : getSourceFile(name, version))
  const program = ts.createProgram([virtualFile], options, host)
  const problems: Problem[] = []
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    if (diagnostic.file?.fileName !== virtualFile || diagnostic.start === undefined)
      continue
    const position = out.keys.find(key => key.start === diagnostic.start)
    const owner = position && owners.find(o => o.keys.includes(position))
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')
    // Wrong types and missing fields are the schema validation's job; this pass is for names.
    if (!/does not exist in type|may only specify known properties/.test(message))
      continue
    if (!position || !owner) {
      problems.push({ file: checked[0]!.file, line: 1, message: `manifest type check: ${message}` })
      continue
    }
    const where = [...position.parent, position.key].join('.')
    problems.push({
      file: owner.doc.file,
      line: owner.doc.source.keyLineAt(position.parent, position.key),
      message: `${String(owner.doc.value.kind)} unknown field "${position.key}" at ${where}`,
    })
  }
  return problems
}

function walkMaps(doc: ManifestDocument, visit: (path: PathKey[], key: string, value: unknown) => void): void {
  const walk = (value: unknown, path: PathKey[]) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i]))
    }
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        visit(path, key, item)
        walk(item, [...path, key])
      }
    }
  }
  walk(doc.value, [])
}

/** Linkerd annotation and label keys that 2.20 doesn't know, or knows under a newer name. */
export function linkerdKeyProblems(doc: ManifestDocument): Problem[] {
  const problems: Problem[] = []
  walkMaps(doc, (path, key) => {
    const parentKey = path.at(-1)
    if ((parentKey !== 'annotations' && parentKey !== 'labels') || !isLinkerdKey(key))
      return
    const verdict = judgeLinkerdKey(key)
    if (verdict.kind === 'deprecated') {
      problems.push({
        file: doc.file,
        line: doc.source.keyLineAt(path, key),
        message: `${key} is deprecated: use ${verdict.current}`,
      })
    }
    else if (verdict.kind === 'unknown') {
      problems.push({
        file: doc.file,
        line: doc.source.keyLineAt(path, key),
        message: `${key} is not a Linkerd 2.20 annotation or label (pkg/k8s/labels.go)`,
      })
    }
  })
  return problems
}

/** Every container image must be one of the pinned values in versions.env. */
export function imageProblems(doc: ManifestDocument, pins: Readonly<Record<string, string>>): Problem[] {
  const pinned = new Set(Object.values(pins))
  const problems: Problem[] = []
  walkMaps(doc, (path, key, value) => {
    if (key !== 'image' || typeof value !== 'string' || !path.some(p => p === 'containers' || p === 'initContainers'))
      return
    if (!pinned.has(value)) {
      problems.push({
        file: doc.file,
        line: doc.source.lineAt([...path, key]),
        message: `image ${value} is not pinned in snippets/versions.env (pin it there and use the same reference)`,
      })
    }
  })
  return problems
}

export function manifestProblems(root: string, files: readonly string[], pins: Readonly<Record<string, string>>): Problem[] {
  const docs = files.flatMap(file => readManifests(root, join(root, file)))
  return [
    ...docs.flatMap(schemaProblems),
    ...docs.flatMap(doc => kindPatchProblems(doc, pins)),
    ...unknownFieldProblems(root, docs),
    ...docs.flatMap(linkerdKeyProblems),
    ...docs.flatMap(doc => imageProblems(doc, pins)),
  ]
}
