import type { Buffer } from 'node:buffer'
import { createHash } from 'node:crypto'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import process from 'node:process'
import { execa } from 'execa'

// The lab's only image, built here because nothing can be pulled: Debian's static busybox in one
// layer, as a docker-archive tarball for `ctr image import`. Its entrypoint sleeps forever, so it
// also serves as the sandbox ("pause") image.

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex')

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' }

export async function buildImage(tag: string, busybox: string, out: string): Promise<void> {
  const work = mkdtempSync(join(out, '..', 'image-'))
  try {
    const rootfs = join(work, 'rootfs')
    mkdirSync(join(rootfs, 'bin'), { recursive: true })
    mkdirSync(join(rootfs, 'tmp'), { recursive: true })
    copyFileSync(busybox, join(rootfs, 'bin', 'busybox'))
    chmodSync(join(rootfs, 'bin', 'busybox'), 0o755)
    const archive = join(work, 'archive')
    mkdirSync(archive)
    await execa('tar', [
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '-C',
      rootfs,
      '-cf',
      join(archive, 'layer.tar'),
      'bin',
      'tmp',
    ])
    const layerDigest = sha256(readFileSync(join(archive, 'layer.tar')))
    const config = JSON.stringify({
      architecture: ARCH[process.arch] ?? process.arch,
      os: 'linux',
      config: {
        Entrypoint: ['/bin/busybox', 'sleep', '2147483647'],
        Env: ['PATH=/bin'],
      },
      rootfs: {
        type: 'layers',
        diff_ids: [`sha256:${layerDigest}`],
      },
    })
    const configName = `${sha256(config)}.json`
    writeFileSync(join(archive, configName), config)
    writeFileSync(join(archive, 'manifest.json'), JSON.stringify([
      {
        Config: configName,
        RepoTags: [tag],
        Layers: ['layer.tar'],
      },
    ]))
    await execa('tar', ['-C', archive, '-cf', out, 'manifest.json', configName, 'layer.tar'])
  }
  finally {
    rmSync(work, { recursive: true, force: true })
  }
}
