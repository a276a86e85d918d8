import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { findStarter, offlineStarter, remoteLoads, StarterNotFoundError, starterSpecs, themePackage } from '../../scripts/bench/starter'

const template = fileURLToPath(new URL('../fixtures/bench/starter-template', import.meta.url))

describe('the starter, made to run offline', () => {
  it('points every remote picture at a local stand-in, leaves out tweets and PlantUML, and asks for no web fonts', async () => {
    const source = await readFile(join(template, 'slides.md'), 'utf8')
    expect(remoteLoads(source).length).toBeGreaterThan(5)
    const offline = offlineStarter(source)
    expect(remoteLoads(offline.slides)).toEqual([])
    expect(offline.slides).toMatch(/^---\nfonts:\n {2}provider: none\n/)
    expect(offline.slides).toContain('background: /bench-cover.sli.dev.svg')
    expect(offline.slides).toContain('src="/bench-sli.dev-assets-arrow-bottom-left.svg"')
    expect(offline.slides).not.toContain('@startuml')
    expect(offline.slides).not.toContain('<Tweet id="1390115482657726468" scale="0.65" />')
    expect([...offline.assets.keys()]).toContain('bench-cover.sli.dev.svg')
    expect(offline.assets.get('bench-cover.sli.dev.svg')).toMatch(/^<svg [^>]*width="1920" height="1080"/)
    expect(offline.changes).toContain('background: https://cover.sli.dev -> a local 1920x1080 SVG stand-in')
    expect(offline.changes.some(change => change.includes('PlantUML'))).toBe(true)
  })

  it('leaves code blocks and prose that merely mention an embed as they are', async () => {
    const offline = offlineStarter(await readFile(join(template, 'slides.md'), 'utf8'))
    expect(offline.slides).toContain('```html\n<Tweet id="1390115482657726468" />\n```')
    expect(offline.slides).toContain('```md\n<img v-drag="\'square\'" src="https://sli.dev/logo.png">\n```')
    expect(offline.slides).toContain('like `<Tweet/>` and `<Youtube/>`.')
    expect(offline.slides).toContain('src: ./pages/imported-slides.md')
  })

  it('fails, naming the line, when something would still load from the internet', () => {
    const source = '---\ntitle: x\n---\n\n# Two pictures\n\n<img src="https://a.example/x.png"><img src="https://b.example/y.png">\n'
    expect(() => offlineStarter(source)).toThrow(StarterNotFoundError)
    expect(() => offlineStarter(source)).toThrow(/line 9: <img src="\/bench-a.example-x.svg"><img src="https:\/\/b.example\/y.png">/)
  })

  it('knows which theme package a deck needs besides the default', () => {
    expect(themePackage('---\ntheme: seriph\n---')).toBe('@slidev/theme-seriph')
    expect(themePackage('---\ntheme: default\n---')).toBeUndefined()
    expect(themePackage('---\ntheme: slidev-theme-foo\n---')).toBe('slidev-theme-foo')
    expect(themePackage('---\ntitle: none\n---')).toBeUndefined()
  })
})

describe('finding the starter', () => {
  it('asks npm for the create-slidev matching the installed Slidev first, then the newest', () => {
    expect(starterSpecs('53.0.0')).toEqual(['create-slidev@53.0.0', 'create-slidev@latest'])
  })

  it('fails cleanly when BENCH_STARTER points at no deck', async () => {
    const attempt = findStarter({
      env: { BENCH_STARTER: '/nowhere' },
      slidevVersion: '53.0.0',
      cacheDir: '/unused',
      pack: async () => {
        throw new Error('must not be called')
      },
    })
    await expect(attempt).rejects.toThrow(StarterNotFoundError)
    await expect(attempt).rejects.toThrow(/BENCH_STARTER is set to \/nowhere, but there is no slides.md there/)
  })

  it('uses the BENCH_STARTER folder when it holds a deck', async () => {
    await expect(findStarter({
      env: { BENCH_STARTER: template },
      slidevVersion: '53.0.0',
      cacheDir: '/unused',
    }))
      .resolves
      .toEqual({ dir: template, version: 'local' })
  })

  it('fails cleanly, saying what was tried and how to fix it, when npm cannot fetch the starter', async () => {
    const tried: string[] = []
    const attempt = findStarter({
      env: {},
      slidevVersion: '53.0.0',
      cacheDir: await mkdtemp(join(tmpdir(), 'bench-cache-')),
      pack: async (spec) => {
        tried.push(spec)
        throw new Error(`npm error 404 Not Found - GET https://registry.npmjs.org/${spec}\nmore`)
      },
    })
    await expect(attempt).rejects.toThrow(StarterNotFoundError)
    await expect(attempt).rejects.toThrow(/could not be found[\s\S]*create-slidev@53.0.0: npm error 404[\s\S]*create-slidev@latest: npm error 404[\s\S]*set BENCH_STARTER/)
    expect(tried.slice(0, 2)).toEqual(['create-slidev@53.0.0', 'create-slidev@latest'])
  })

  it('reuses a starter fetched before, without asking npm again', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'bench-cache-'))
    await mkdir(join(cacheDir, 'create-slidev-53.0.0', 'template'), { recursive: true })
    await writeFile(join(cacheDir, 'create-slidev-53.0.0', 'template', 'slides.md'), '# x\n')
    await writeFile(join(cacheDir, 'create-slidev-53.0.0', 'package.json'), '{"version":"53.0.0"}')
    const found = await findStarter({
      env: {},
      slidevVersion: '53.0.0',
      cacheDir,
      pack: async () => {
        throw new Error('must not be called')
      },
    })
    expect(found).toEqual({
      dir: join(cacheDir, 'create-slidev-53.0.0', 'template'),
      version: '53.0.0',
    })
  })
})
