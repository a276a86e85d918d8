// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import CheatSheet from '../../components/CheatSheet.vue'
import { ANNOTATIONS } from '../../model/cheat-sheet'

describe('<CheatSheet />', () => {
  it('renders the layouts, ports, exit codes, annotations and the checklist', () => {
    const view = mount(CheatSheet)
    expect(view.findAll('.cheat-sheet__layouts tbody tr')).toHaveLength(4)
    expect(view.find('.cheat-sheet__default').text()).toContain('native · linkerd-init (2.20 default)')
    expect(view.find('.cheat-sheet__ports').text()).toContain('4140outbound 127.0.0.1 only')
    expect(view.find('.cheat-sheet__ports').text()).toContain('2102')
    expect(view.find('.cheat-sheet__exits').text()).toMatch(/95linkerd-network-validator: no redirect/)
    expect(view.findAll('.cheat-sheet__annotations li').map(li => li.find('code').text())).toEqual(ANNOTATIONS.map(a => `${a.key}: ${a.value}`))
    const items = view.findAll('.cheat-sheet__checklist li')
    expect(items).toHaveLength(5)
    expect(items[4]!.find('code').text()).toBe('linkerd check --proxy --namespace "$NS"')
  })
})
