import type { Problem } from '../core/problem'

// Rules for the text of a shell step: versions come from versions.env, downloads name a pinned
// version, and nothing downloaded is piped into a shell.

const URL_PATTERN = /https?:\/\/[^\s"'`)]+/g

function commandLines(text: string): { line: number, text: string }[] {
  return text.split('\n')
    .map((content, index) => ({ line: index + 1, text: content }))
    .filter(({ text: content }) => !content.trimStart().startsWith('#'))
}

export function stepTextProblems(file: string, text: string, pins: Readonly<Record<string, string>>): Problem[] {
  const problems: Problem[] = []
  const pinKeys = Object.keys(pins)
  const namesAPin = (url: string) => pinKeys.some(key => url.includes(`\${${key}}`) || new RegExp(`\\$${key}(?![A-Za-z0-9_])`).test(url))
  for (const { line, text: content } of commandLines(text)) {
    for (const url of content.match(URL_PATTERN) ?? []) {
      if (!namesAPin(url))
        problems.push({ file, line, message: `downloads ${url} without a pinned version: put the version in snippets/versions.env and use its variable in the URL` })
    }
    if (/\b(?:curl|wget)\b[^|]*\|\s*(?:sudo\s+)?(?:ba|z)?sh\b/.test(content))
      problems.push({ file, line, message: 'pipes a download straight into a shell: download, verify, then run' })
    for (const [key, value] of Object.entries(pins)) {
      if (value.length >= 4 && content.includes(value))
        problems.push({ file, line, message: `writes the pinned ${key} (${value}) literally: use "\${${key}}" so versions.env stays the one source` })
    }
    if (/(?:^|[\s;&|(])sleep\s/.test(content))
      problems.push({ file, line, message: 'waits with sleep: wait for the condition itself (kubectl wait, rollout status, linkerd check) with a timeout' })
    if (/kindest\/node:/.test(content) && !content.includes('KIND_NODE_IMAGE'))
      problems.push({ file, line, message: 'names a kind node image directly: use "$KIND_NODE_IMAGE"' })
  }
  return problems
}
