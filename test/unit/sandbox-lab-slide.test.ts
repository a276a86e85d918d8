// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import SandboxLabResult from '../../components/SandboxLabResult.vue'
import record from '../../model/sandbox/lab-result.json'

describe('the sandbox lab\'s slide', () => {
  it('shows every recorded case with the deck\'s prediction, what containerd did and a verdict', () => {
    const view = mount(SandboxLabResult)
    const rows = view.findAll('tbody tr')
    expect(rows).toHaveLength(record.rows.length)
    expect(rows.map(row => row.findAll('td').map(td => td.text()))).toEqual(record.rows.map(r => [
      r.claim,
      r.predicted,
      r.observed,
      'agrees',
    ]))
    expect(view.findAll('.sandbox-lab-result__disagree')).toHaveLength(0)
    const source = view.find('.sandbox-lab-result__source').text()
    expect(source).toContain('sudo npm run lab:sandbox')
    expect(source).toContain(`containerd ${record.containerd}`)
    expect(source).toContain('stand-in')
  })
})
