import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { parseVersionsEnv } from '../../model/snippet-session'

// .ci/install-live-tools against a stand-in curl (test/fixtures/stand-in-curl) that serves
// stand-in release files from a temporary folder: the downloads, the checksum checks and the
// PATH hand-over are real; no network, and nothing real is installed.

const repo = fileURLToPath(new URL('../..', import.meta.url))
const pins = parseVersionsEnv(readFileSync(join(repo, 'snippets/versions.env'), 'utf8'), 'snippets/versions.env')
const arch = process.arch === 'arm64' ? 'arm64' : 'amd64'
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

function tool(output: string): string {
  return `#!/usr/bin/env bash\necho '${output}'\n`
}

interface Release {
  downloads: string
  home: string
  bin: string
  githubPath: string
}

function release(tamper: { kind?: boolean, kubectl?: boolean } = {}): Release {
  const root = mkdtempSync(join(tmpdir(), 'install-live-tools-'))
  const downloads = join(root, 'downloads')
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(downloads, path)), { recursive: true })
    writeFileSync(join(downloads, path), text)
  }
  const kind = tool(`kind ${pins.KIND_VERSION} go1.25 linux/${arch}`)
  const kindAsset = `kind-linux-${arch}`
  put(`github.com/kubernetes-sigs/kind/releases/download/${pins.KIND_VERSION}/${kindAsset}`, kind)
  put(`github.com/kubernetes-sigs/kind/releases/download/${pins.KIND_VERSION}/${kindAsset}.sha256sum`, `${sha256(tamper.kind
    ? `${kind}tampered`
    : kind)}  ${kindAsset}\n`)
  const kubectl = tool(`Client Version: ${pins.KUBERNETES_VERSION}`)
  put(`dl.k8s.io/release/${pins.KUBERNETES_VERSION}/bin/linux/${arch}/kubectl`, kubectl)
  put(`dl.k8s.io/release/${pins.KUBERNETES_VERSION}/bin/linux/${arch}/kubectl.sha256`, sha256(tamper.kubectl
    ? `${kubectl}tampered`
    : kubectl))
  const linkerd = tool(pins.LINKERD_VERSION!)
  const linkerdAsset = `linkerd2-cli-${pins.LINKERD_VERSION}-linux-${arch}`
  put(`github.com/linkerd/linkerd2/releases/download/${pins.LINKERD_VERSION}/${linkerdAsset}`, linkerd)
  put(`api.github.com/repos/linkerd/linkerd2/releases/tags/${pins.LINKERD_VERSION}`, JSON.stringify({
    assets: [{ name: linkerdAsset, digest: `sha256:${sha256(linkerd)}` }],
  }))
  const home = join(root, 'home')
  mkdirSync(home)
  const githubPath = join(root, 'github-path')
  writeFileSync(githubPath, '')
  chmodSync(join(repo, 'test/fixtures/stand-in-curl/curl'), 0o755)
  return {
    downloads,
    home,
    bin: join(root, 'bin'),
    githubPath,
  }
}

function install(r: Release) {
  return execa('bash', ['.ci/install-live-tools', r.bin], {
    cwd: repo,
    reject: false,
    extendEnv: false,
    env: {
      PATH: `${join(repo, 'test/fixtures/stand-in-curl')}:${process.env.PATH}`,
      HOME: r.home,
      STAND_IN_DOWNLOADS: r.downloads,
      GITHUB_PATH: r.githubPath,
      GITHUB_TOKEN: 'stand-in-token',
    },
  })
}

describe.skipIf(process.platform !== 'linux')('.ci/install-live-tools (stand-in curl)', { timeout: 30_000 }, () => {
  it('installs kind, kubectl and the Linkerd CLI at the pins, checked, and hands both folders to the next steps', async () => {
    const r = release()
    const result = await install(r)
    expect(result.exitCode, result.stderr).toBe(0)
    expect((await execa(join(r.bin, 'kind'), ['version'])).stdout).toBe(`kind ${pins.KIND_VERSION} go1.25 linux/${arch}`)
    expect((await execa(join(r.bin, 'kubectl'), ['version', '--client'])).stdout).toBe(`Client Version: ${pins.KUBERNETES_VERSION}`)
    expect(existsSync(join(r.home, '.linkerd2/bin/linkerd'))).toBe(true)
    expect(readFileSync(r.githubPath, 'utf8').split('\n').filter(Boolean)).toEqual([
      r.bin,
      join(r.home, '.linkerd2/bin'),
    ])
    const calls = readFileSync(join(r.downloads, 'curl.log'), 'utf8')
    // The token goes to GitHub's API only, where the anonymous rate limit bites on shared runners.
    expect(calls).toContain(`https://api.github.com/repos/linkerd/linkerd2/releases/tags/${pins.LINKERD_VERSION} auth=yes`)
    expect(calls.split('\n').filter(line => line.includes('auth=yes'))).toHaveLength(1)
  })

  for (const tampered of ['kind', 'kubectl'] as const) {
    it(`stops, installing nothing of it, when ${tampered} does not match its published checksum`, async () => {
      const r = release({ [tampered]: true })
      const result = await install(r)
      expect(result.exitCode).not.toBe(0)
      expect(result.stdout + result.stderr).toMatch(/FAILED/)
      expect(existsSync(join(r.bin, tampered))).toBe(false)
      expect(existsSync(join(r.home, '.linkerd2/bin/linkerd'))).toBe(false)
      expect(readFileSync(r.githubPath, 'utf8')).toBe('')
    })
  }
})
