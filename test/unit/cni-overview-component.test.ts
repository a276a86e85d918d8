// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import CniOverview from '../../components/CniOverview.vue'
import { CNI_PLATFORMS } from '../../model/cni-platforms'

// Slidev's <Link> is global in a deck; here it is a stub that shows where it leads.
const Link = {
  props: ['to'],
  template: '<a :data-to="to"><slot /></a>',
}

describe('cniOverview', () => {
  it('links each platform to its slide by alias and writes the slide number beside it', () => {
    const slides = [
      {
        no: 15,
        meta: {
          slide: {
            frontmatter: { routeAlias: 'cni-kindnet' },
          },
        },
      },
      {
        no: 63,
        meta: {
          slide: {
            frontmatter: { routeAlias: 'cni-cilium' },
          },
        },
      },
    ]
    const view = mount(CniOverview, {
      props: { slides },
      global: {
        components: { Link },
      },
    })
    const rows = view.findAll('tbody tr')
    expect(rows).toHaveLength(CNI_PLATFORMS.length)
    const cilium = rows.find(row => row.text().startsWith('Cilium'))!
    expect(cilium.find('a').attributes('data-to')).toBe('cni-cilium')
    expect(cilium.text()).toContain('· 63')
    expect(cilium.text()).toContain('cni.exclusive=false')
    const calico = rows.find(row => row.text().startsWith('Calico'))!
    expect(calico.text()).not.toContain('·')
    expect(calico.text()).toContain('nothing')
  })

  it('marks the platforms nobody has shown to work', () => {
    const view = mount(CniOverview, {
      global: {
        components: { Link },
      },
    })
    const unverified = view.findAll('.cni-overview__chaining--unverified')
    expect(unverified.map(cell => cell.text())).toEqual(['unverified', 'unverified'])
  })
})
