import { describe, expect, it } from 'vitest'
import { ALL_VARIANTS, APP_INITS, DEFAULT_VARIANT, differencesFromDefault, podLayout, startupSteps } from '../../model/pod-startup'

const variants = [
  { firewall: 'linkerd-init', sidecar: 'native' },
  { firewall: 'linkerd-init', sidecar: 'classic' },
  { firewall: 'cni', sidecar: 'native' },
  { firewall: 'cni', sidecar: 'classic' },
] as const

const titles = (v: typeof variants[number]) => startupSteps(v).map(s => s.title)

describe('pod start-up steps', () => {
  it('has the same number of steps in every layout, so one click count fits all', () => {
    const counts = variants.map(v => startupSteps(v).length)
    expect(new Set(counts)).toEqual(new Set([8]))
  })

  it('runs linkerd-init, then the proxy, then the app\'s init containers in the default layout', () => {
    expect(titles(DEFAULT_VARIANT).slice(4, 7)).toEqual([
      'linkerd-init writes the nat rules',
      'The proxy starts as a sidecar',
      'The app\'s init containers run',
    ])
  })

  it('runs the app\'s init containers before linkerd-init in classic mode', () => {
    expect(titles({ firewall: 'linkerd-init', sidecar: 'classic' }).slice(4, 7)).toEqual([
      'The app\'s init containers run',
      'linkerd-init writes the nat rules',
      'The proxy starts first in containers',
    ])
  })

  it('says what an app init container can reach in each layout', () => {
    const reach = variants.map(v => startupSteps(v).find(s => s.appInitNetwork)?.appInitNetwork)
    expect(reach).toEqual(['meshed', 'unmeshed', 'meshed', 'tcp-refused'])
  })

  it('moves rule writing into the CNI chain and replaces linkerd-init with the validator', () => {
    const cni = startupSteps({ firewall: 'cni', sidecar: 'native' })
    expect(cni[3]!.detail).toContain('linkerd-cni')
    expect(cni.map(s => s.title)).not.toContain('linkerd-init writes the nat rules')
    expect(cni[4]!.title).toBe('The network validator checks the rules')
  })

  it('marks only the steps that differ from the default', () => {
    expect(differencesFromDefault(DEFAULT_VARIANT)).toEqual(Array.from({ length: 8 }).fill(false))
    expect(differencesFromDefault({ firewall: 'cni', sidecar: 'native' }))
      .toEqual([true, false, false, true, true, false, false, false])
  })

  it('highlights a known actor at every step', () => {
    for (const v of variants) {
      for (const step of startupSteps(v))
        expect(step.actors.length).toBeGreaterThan(0)
    }
  })

  it('starts the init containers in the order the layout lists them', () => {
    // The step in which each of the layout's init containers runs, by its title.
    const runsIn = (name: string) => name === APP_INITS
      ? 'The app\'s init containers run'
      : name === 'linkerd-proxy'
        ? 'The proxy starts as a sidecar'
        : name === 'linkerd-init'
          ? 'linkerd-init writes the nat rules'
          : 'The network validator checks the rules'
    for (const variant of ALL_VARIANTS) {
      const order = podLayout(variant).initContainers.map(name => titles(variant).indexOf(runsIn(name)))
      expect(order.every(index => index >= 0), JSON.stringify(variant)).toBe(true)
      expect(order, JSON.stringify(variant)).toEqual([...order].sort((a, b) => a - b))
    }
  })

  it('puts the proxy in containers only in classic mode, and first there', () => {
    expect(ALL_VARIANTS.map(v => podLayout(v).containers)).toEqual([
      ['linkerd-proxy', 'app'],
      ['linkerd-proxy', 'app'],
      ['app'],
      ['app'],
    ])
  })
})
