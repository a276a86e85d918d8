import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const shellFiles = [
  '.ci/run',
  '.ci/install-live-tools',
  ...readdirSync(join(repo, 'snippets'), { recursive: true, encoding: 'utf8' })
    .filter(file => file.endsWith('.sh'))
    .map(file => join('snippets', file)),
]

describe('shell files pass shellcheck (Debian: shellcheck)', () => {
  for (const file of shellFiles) {
    it(file, async () => {
      const result = await execa('shellcheck', ['--external-sources', '--format=gcc', file], { cwd: repo, reject: false })
      expect(result.stdout).toBe('')
      expect(result.exitCode).toBe(0)
    })
  }

  it('fails on a broken script, so a pass means something', async () => {
    const result = await execa('shellcheck', ['--format=gcc', '-'], { input: '#!/usr/bin/env bash\nrm -rf $1/*\n', reject: false })
    expect(result.exitCode).not.toBe(0)
    expect(result.stdout).toMatch(/SC2086/)
  })
})
