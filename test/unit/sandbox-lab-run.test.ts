import type { Buffer } from 'node:buffer'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import process from 'node:process'
import { describe, expect, it } from 'vitest'
import { BASE } from '../../scripts/sandbox/layout'
import { leftovers } from '../../scripts/sandbox/node-env'
import { sandboxCapability } from '../../scripts/sandbox/preflight'
import { runScript } from '../run-script'

// The sandbox lab on this machine's containerd: runs where it can (root, containerd, runc, the
// CNI plugins, busybox-static), which includes CI; elsewhere reported skipped with the reason.

const capability = await sandboxCapability()
const earlier = capability.ok ? leftovers() : []
const reason = !capability.ok
  ? capability.reason
  : earlier.length > 0
    ? `an earlier run left ${earlier.join(' and ')} (sudo npm run lab:sandbox -- --clean-up)`
    : undefined
const skip = reason !== undefined

function lab(args: string[] = [], env: Record<string, string> = {}) {
  return runScript('scripts/lab-sandbox.ts', args, { env })
}

/** Processes whose command line names the lab's directory: containerd, its shims, the plugins. */
function labProcesses(): string[] {
  return readdirSync('/proc').filter(name => /^\d+$/.test(name)).flatMap((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
      return cmdline.includes(BASE) ? [`${pid} ${cmdline}`] : []
    }
    catch {
      return []
    }
  })
}

function expectNothingLeft() {
  expect(leftovers()).toEqual([])
  expect(labProcesses()).toEqual([])
}

describe(`the sandbox lab on this machine's containerd${skip
  ? ` (skipped: ${reason})`
  : ''}`, { timeout: 120_000 }, () => {
  it.skipIf(skip)('proves the five cases, and removes everything it started at the end', async () => {
    const result = await lab()
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0)
    expect(result.stdout).toMatch(/\n5 agree, 0 disagree$/)
    expect(result.stdout).not.toContain('DISAGREE')
    expect(result.stdout).toContain('STAND-IN')
    expectNothingLeft()
  })

  it.skipIf(skip)('refuses to start over a leftover, names it and how to remove it; --clean-up removes it', async () => {
    mkdirSync(BASE)
    try {
      const refused = await lab()
      expect(refused.exitCode).toBe(2)
      expect(refused.stderr).toContain(`lab:sandbox: an earlier run left ${BASE}; remove them first: sudo npm run lab:sandbox -- --clean-up`)
      expect(refused.stdout).not.toContain('case 1')
    }
    finally {
      const cleaned = await lab(['--clean-up'])
      expect(cleaned.stdout).toContain('nothing of the lab is left')
    }
    expectNothingLeft()
  })

  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it.skipIf(skip)(`stops containerd and removes everything on ${signal}, mid-run`, async () => {
      const run = lab()
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the lab never reached case 2')), 60_000)
        run.stdout?.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('case 2:')) {
            clearTimeout(timer)
            resolve()
          }
        })
      })
      expect(labProcesses().length).toBeGreaterThan(0)
      run.kill(signal)
      const result = await run
      expect(result.exitCode, `${result.signal ?? ''}\n${result.stdout}\n${result.stderr}`).toBe(status)
      expect(result.stderr).toContain(`${signal}: stopping containerd and removing everything the lab started`)
      expectNothingLeft()
    })
  }

  it.skipIf(skip)('names each missing tool with its install command, and starts nothing', async () => {
    // Only Node's own directory on PATH: containerd, runc, nsenter, ip and iptables all go missing.
    const result = await lab([], {
      PATH: dirname(process.execPath),
    })
    expect(result.exitCode).toBe(2)
    for (const install of [
      'apt-get install containerd',
      'apt-get install runc',
      'apt-get install util-linux',
      'apt-get install iproute2',
      'apt-get install iptables',
    ])
      expect(result.stderr).toContain(install)
    expectNothingLeft()
  })
})
