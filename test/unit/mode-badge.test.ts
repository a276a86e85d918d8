// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import ModeBadge from '../../components/ModeBadge.vue'

const stubs = { 'carbon-container-software': true }

describe('modeBadge', () => {
  it('says which Linkerd version and sidecar mode a slide is about', () => {
    const badge = mount(ModeBadge, {
      props: { mode: 'native', linkerd: '2.20' },
      global: { stubs },
    })
    expect(badge.text()).toBe('Linkerd 2.20 · native sidecar')
    expect(badge.classes()).toContain('mode-badge--native')
  })

  it('defaults to both modes without a version', () => {
    const badge = mount(ModeBadge, {
      global: { stubs },
    })
    expect(badge.text()).toBe('Linkerd · classic and native sidecars')
  })
})
