// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import SnippetRun from '../../components/SnippetRun.vue'

// A record as the live check would write it, with the pins versions.env holds today.
vi.mock('../../snippets/verified-live.json', () => ({
  default: {
    scenarios: [
      {
        scenario: 'g-job',
        steps: ['07-jobs'],
        kindNodeImage: 'kindest/node:v1.35.0@sha256:452d707d4862f52530247495d180205e029056831160e22870e37e3f6c1ac31f',
        linkerdVersion: 'edge-26.6.3',
        date: '2026-11-20',
      },
    ],
  },
}))

describe('snippetRun with a live record', () => {
  it('badges a recorded step as verified, with node version, Linkerd version and date', () => {
    const view = mount(SnippetRun, {
      props: { step: 'g-job/07-jobs' },
    })
    expect(view.find('.snippet-run__badge--verified').text()).toBe('verified live · kind v1.35.0 · Linkerd edge-26.6.3 · 2026-11-20')
  })

  it('leaves the scenario\'s other steps unverified', () => {
    const view = mount(SnippetRun, {
      props: { step: 'g-job/04-pods-classic' },
    })
    expect(view.find('.snippet-run__badge--unverified').text()).toBe('not yet verified live')
  })
})
