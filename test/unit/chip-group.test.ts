// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent } from 'vue'
import ChipGroup from '../../components/ChipGroup.vue'

const choices = [{ value: 'a', label: 'first' }, { value: 'b', label: 'second' }]

describe('chipGroup', () => {
  it('is a group named by its visible label, one radio button per chip, the chosen one on', () => {
    const view = mount(ChipGroup, {
      props: { label: 'Pick', choices, modelValue: 'b' },
    })
    expect(view.attributes('role')).toBe('group')
    expect(view.get(`#${view.attributes('aria-labelledby')}`).text()).toBe('Pick')
    expect(view.findAll('input[type="radio"]').map(i => i.attributes('value'))).toEqual(['a', 'b'])
    expect(view.get('.chip-group__chip--on').text()).toBe('second')
  })

  it('reports a new choice through v-model', async () => {
    const view = mount(ChipGroup, {
      props: {
        'label': 'Pick',
        choices,
        'modelValue': 'a',
        'onUpdate:modelValue': (v: string) => view.setProps({ modelValue: v }),
      },
    })
    await view.get('input[value="b"]').setValue(true)
    expect(view.emitted('update:modelValue')).toEqual([['b']])
    expect(view.get('.chip-group__chip--on').text()).toBe('second')
  })

  it('gives each group its own radio name unless rows share one', () => {
    const two = mount(defineComponent({
      components: { ChipGroup },
      setup: () => ({ choices }),
      template: '<div><ChipGroup label="x" :choices="choices" model-value="a" /><ChipGroup label="y" :choices="choices" model-value="a" /></div>',
    }))
    const names = two.findAll('input').map(i => i.attributes('name'))
    expect(new Set(names).size).toBe(2)
    const shared = mount(ChipGroup, {
      props: {
        label: 'z',
        choices,
        modelValue: 'a',
        name: 'together',
      },
    })
    expect(shared.findAll('input').map(i => i.attributes('name'))).toEqual(['together', 'together'])
  })

  it('gives the keys back to the slides on Escape', async () => {
    const view = mount(ChipGroup, {
      props: { label: 'Pick', choices, modelValue: 'a' },
      attachTo: document.body,
    })
    const input = view.get('input').element as HTMLInputElement
    input.focus()
    expect(document.activeElement).toBe(input)
    await view.get('input').trigger('keydown', { key: 'Escape' })
    expect(document.activeElement).not.toBe(input)
    view.unmount()
  })
})
