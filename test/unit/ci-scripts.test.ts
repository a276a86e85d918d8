import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'

// The shell that runs on CI machines: .ci/raise-sysctl against a stand-in sysctl, and a retry on
// every download the CI scripts and the setup snippets make.

const repo = fileURLToPath(new URL('../..', import.meta.url))

/** A folder with a stand-in `sysctl` (values kept in files) and `sudo` that just runs the command. */
function standIns(values: Record<string, number>): { bin: string, read: (key: string) => number, log: () => string } {
  const root = mkdtempSync(join(tmpdir(), 'raise-sysctl-'))
  for (const [key, value] of Object.entries(values))
    writeFileSync(join(root, key), `${value}\n`)
  const write = (name: string, text: string) => {
    writeFileSync(join(root, name), text)
    chmodSync(join(root, name), 0o755)
  }
  write('sysctl', `#!/usr/bin/env bash
# STAND-IN for sysctl: -n KEY prints the value kept in a file; -w KEY=VALUE writes it.
echo "sysctl $*" >>"${root}/calls.log"
if [ "$1" = -n ]; then cat "${root}/$2"; exit; fi
if [ "$1" = -w ]; then echo "\${2#*=}" >"${root}/\${2%%=*}"; exit; fi
exit 1
`)
  write('sudo', '#!/usr/bin/env bash\nexec "$@"\n')
  return {
    bin: root,
    read: key => Number(readFileSync(join(root, key), 'utf8')),
    log: () => {
      try {
        return readFileSync(join(root, 'calls.log'), 'utf8')
      }
      catch {
        return ''
      }
    },
  }
}

function raise(bin: string, ...args: string[]) {
  return execa('bash', [join(repo, '.ci/raise-sysctl'), ...args], {
    reject: false,
    env: { PATH: `${bin}:${process.env.PATH}` },
  })
}

describe('.ci/raise-sysctl', () => {
  it('raises a setting below the minimum', async () => {
    const host = standIns({ 'fs.inotify.max_user_watches': 8192 })
    const run = await raise(host.bin, 'fs.inotify.max_user_watches=524288')
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toBe('fs.inotify.max_user_watches = 524288 (raised from 8192)')
    expect(host.read('fs.inotify.max_user_watches')).toBe(524288)
  })

  it('leaves a higher setting as it is (the runner\'s own, larger limits)', async () => {
    const host = standIns({ 'fs.inotify.max_user_watches': 1048576, 'fs.inotify.max_user_instances': 128 })
    const run = await raise(host.bin, 'fs.inotify.max_user_watches=524288', 'fs.inotify.max_user_instances=512')
    expect(run.stdout.split('\n')).toEqual([
      'fs.inotify.max_user_watches = 1048576 (at least 524288: left as it is)',
      'fs.inotify.max_user_instances = 512 (raised from 128)',
    ])
    expect(host.read('fs.inotify.max_user_watches')).toBe(1048576)
    expect(host.log()).not.toContain('-w fs.inotify.max_user_watches')
  })

  it('refuses a setting without a number, changing nothing', async () => {
    const host = standIns({ 'fs.inotify.max_user_watches': 8192 })
    for (const bad of ['fs.inotify.max_user_watches', 'fs.inotify.max_user_watches=lots']) {
      const run = await raise(host.bin, bad)
      expect(run.exitCode).toBe(2)
      expect(run.stderr).toContain(`raise-sysctl: ${bad}: give KEY=NUMBER`)
    }
    expect((await raise(host.bin)).exitCode).toBe(2)
    expect(host.log()).toBe('')
  })
})

/** Each curl command (continuation lines joined) that fetches an https:// URL without --retry. */
function downloadsWithoutRetry(script: string): string[] {
  return script
    .replaceAll(/\\\n\s*/g, ' ')
    .split('\n')
    .filter(line => /(?:^|[\s($|])curl\s/.test(line) && line.includes('https://') && !/\s--retry\s/.test(line))
    .map(line => line.trim().replaceAll(/\s+/g, ' '))
}

describe('downloads on CI machines retry', () => {
  it('finds a download without a retry (and none with one)', () => {
    expect(downloadsWithoutRetry('curl -fsSL \\\n  -o x https://example.org/a\ncurl -fsSL --retry 3 https://example.org/b\n')).toEqual(['curl -fsSL -o x https://example.org/a'])
  })

  it('every curl download in .ci/ and snippets/setup/ has --retry', () => {
    const files = [
      ...readdirSync(join(repo, '.ci')).map(name => join('.ci', name)),
      ...readdirSync(join(repo, 'snippets/setup')).filter(name => name.endsWith('.sh')).map(name => join('snippets/setup', name)),
    ]
    const found = files.flatMap(file => downloadsWithoutRetry(readFileSync(join(repo, file), 'utf8')).map(line => `${file}: ${line}`))
    expect(found).toEqual([])
    expect(files).toContain('snippets/setup/01-install-cli.sh')
  })
})
