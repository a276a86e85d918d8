// @vitest-environment happy-dom
// SnippetRun with a recorded live output (section 4), and in present mode: the page's token, the
// shared event stream and the run control, against a fake EventSource and fetch.
import type { LiveEvent } from '../../model/live-steps'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'

vi.mock('../../snippets/verified-live.json', () => ({
  default: {
    scenarios: [
      {
        scenario: 'g-job',
        steps: ['07-jobs'],
        kindNodeImage: 'kindest/node:v1.35.0@sha256:452d707d4862f52530247495d180205e029056831160e22870e37e3f6c1ac31f',
        linkerdVersion: 'edge-26.6.3',
        date: '2026-11-20',
        outputs: {
          '07-jobs': 'NAME          STATUS     COMPLETIONS   DURATION   AGE\njob-classic   Running    0/1           61s        61s\njob-native    Complete   1/1           9s         40s\n',
        },
      },
    ],
  },
}))

class FakeEventSource {
  static readonly CLOSED = 2
  static instances: FakeEventSource[] = []
  readyState = 1
  onmessage: ((message: { data: string }) => void) | null = null
  onerror: (() => void) | null = null
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this)
  }

  emit(event: LiveEvent) {
    this.onmessage?.({
      data: JSON.stringify(event),
    })
  }
}

async function freshSnippetRun() {
  vi.resetModules()
  return (await import('../../components/SnippetRun.vue')).default
}

const lines = (view: { findAll: (s: string) => { text: () => string }[] }) => view.findAll('code .line').map(line => line.text())

describe('snippetRun with a recorded live output', () => {
  it('shows the recording instead of the derived output, badged with its date', async () => {
    const SnippetRun = await freshSnippetRun()
    const view = mount(SnippetRun, {
      props: { step: 'g-job/07-jobs', part: 'output' },
    })
    expect(lines(view)).toEqual([
      'NAME          STATUS     COMPLETIONS   DURATION   AGE',
      'job-classic   Running    0/1           61s        61s',
      'job-native    Complete   1/1           9s         40s',
    ])
    expect(view.find('.snippet-run__volatile').exists()).toBe(false)
    expect(view.find('.snippet-run__badge--verified').text()).toBe('recorded live 2026-11-20 · kind v1.35.0 · Linkerd edge-26.6.3')
  })

  it('keeps the derived output, and its mark, where nothing was recorded', async () => {
    const SnippetRun = await freshSnippetRun()
    const view = mount(SnippetRun, {
      props: { step: 'g-job/04-pods-classic', part: 'output' },
    })
    expect(view.find('.snippet-run__volatile').exists()).toBe(true)
    expect(view.find('.snippet-run__badge--unverified').text()).toBe('not yet verified live')
  })

  it('has no run control and opens no connection outside present mode', async () => {
    FakeEventSource.instances = []
    vi.stubGlobal('EventSource', FakeEventSource)
    const SnippetRun = await freshSnippetRun()
    const view = mount(SnippetRun, {
      props: { step: 'g-job/07-jobs' },
    })
    expect(view.find('button').exists()).toBe(false)
    expect(FakeEventSource.instances).toEqual([])
    vi.unstubAllGlobals()
  })
})

describe('snippetRun in present mode', () => {
  const token = 'test-token-0123456789'
  const fetchMock = vi.fn(async (..._args: unknown[]) => new Response('{"started":"g-job/07-jobs"}', { status: 202 }))

  beforeEach(() => {
    FakeEventSource.instances = []
    fetchMock.mockClear()
    vi.stubGlobal('EventSource', FakeEventSource)
    vi.stubGlobal('fetch', fetchMock)
    document.head.insertAdjacentHTML('beforeend', `<meta name="live-steps-token" content="${token}">`)
  })

  afterEach(() => {
    vi.unstubAllGlobals()
    document.head.querySelector('meta[name="live-steps-token"]')?.remove()
  })

  const snapshot: LiveEvent = {
    type: 'snapshot',
    steps: {
      'g-job/07-jobs': { kind: 'run' },
      'g-job/03-wait-classic': { kind: 'run' },
      'setup/03-create-cluster': {
        kind: 'staged',
        finishedAt: new Date(2026, 10, 28, 13, 40).toISOString(),
        output: 'Creating cluster "startup-init" ...\n',
      },
    },
    runs: [],
  }

  it('opens one event stream for every terminal on the page, with the token', async () => {
    const SnippetRun = await freshSnippetRun()
    mount(SnippetRun, {
      props: { step: 'g-job/07-jobs' },
    })
    mount(SnippetRun, {
      props: { step: 'g-job/03-wait-classic' },
    })
    expect(FakeEventSource.instances.map(source => source.url)).toEqual([`/__live-steps/events?token=${token}`])
  })

  it('runs the step by its id with the token, then shows what it printed and how it differs', async () => {
    const SnippetRun = await freshSnippetRun()
    const view = mount(SnippetRun, {
      props: { step: 'g-job/07-jobs' },
    })
    const source = FakeEventSource.instances[0]!
    source.emit(snapshot)
    await flushPromises()
    const button = view.find('button.snippet-run__run')
    expect(button.text()).toBe('▶ run')
    await button.trigger('click')
    expect(fetchMock).toHaveBeenCalledWith('/__live-steps/run', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-live-steps-token': token },
      body: '{"step":"g-job/07-jobs"}',
    })

    source.emit({
      type: 'start',
      step: 'g-job/07-jobs',
      startedAt: new Date().toISOString(),
    })
    source.emit({ type: 'output', step: 'g-job/07-jobs', chunk: 'NAME   STATUS\n' })
    await flushPromises()
    expect(view.find('button.snippet-run__run').text()).toBe('■ stop')
    expect(lines(view).slice(2)).toEqual(['NAME   STATUS'])
    expect(view.find('.snippet-run__mark').text()).toBe('running…')

    source.emit({
      type: 'end',
      run: {
        step: 'g-job/07-jobs',
        state: 'differs',
        output: 'NAME   STATUS\njob-classic   Failed',
        startedAt: new Date().toISOString(),
        reason: 'output differs from the .out file',
        diff: '@@ -1,2 +1,2 @@\n NAME   STATUS\n-job-classic   Running\n+job-classic   Failed\n',
      },
    })
    await flushPromises()
    expect(view.find('.snippet-run__mark--bad').text()).toBe('✗ differs from expected')
    expect(view.findAll('.snippet-run-diff__lines > *').map(cell => cell.text())).toEqual([
      'expected',
      'job-classic   Running',
      'actual',
      'job-classic   Failed',
    ])
    expect(view.find('.snippet-run__badge').text()).toMatch(/^real output, \d\d:\d\d$/)
  })

  it('shows a failed run\'s reason and keeps the expected output, labelled', async () => {
    const SnippetRun = await freshSnippetRun()
    const view = mount(SnippetRun, {
      props: { step: 'g-job/07-jobs', part: 'output' },
    })
    const source = FakeEventSource.instances[0]!
    source.emit(snapshot)
    source.emit({
      type: 'end',
      run: {
        step: 'g-job/07-jobs',
        state: 'failed',
        output: 'error: You must be logged in to the server',
        startedAt: new Date().toISOString(),
        reason: 'exited 1, expected 0',
      },
    })
    await flushPromises()
    expect(view.find('.snippet-run__badge').text()).toBe('expected')
    expect(view.find('.snippet-run__mark').text()).toBe('✗ exited 1, expected 0')
    expect(view.text()).toContain('error: You must be logged in to the server')
    // The recorded output (this file's mock) is what "expected" means once recorded.
    expect(lines(view)[1]).toBe('job-classic   Running    0/1           61s        61s')
  })

  it('shows a staged step\'s time and kept output, with no run control', async () => {
    const SnippetRun = await freshSnippetRun()
    const view = mount(SnippetRun, {
      props: { step: 'setup/03-create-cluster' },
    })
    FakeEventSource.instances[0]!.emit(snapshot)
    await flushPromises()
    expect(view.find('button').exists()).toBe(false)
    expect(view.find('.snippet-run__badge').text()).toBe('staged 13:40')
    expect(lines(view).at(-1)).toBe('Creating cluster "startup-init" ...')
  })

  it('shows a refusal on the terminal it came from', async () => {
    fetchMock.mockResolvedValueOnce(new Response('{"error":"refused: g-job/03-wait-classic is running; one step runs at a time"}', { status: 409 }))
    const SnippetRun = await freshSnippetRun()
    const view = mount(SnippetRun, {
      props: { step: 'g-job/07-jobs' },
    })
    FakeEventSource.instances[0]!.emit(snapshot)
    await flushPromises()
    await view.find('button').trigger('click')
    await flushPromises()
    expect(view.find('.snippet-run__mark--bad').text()).toBe('refused: g-job/03-wait-classic is running; one step runs at a time')
  })

  it('stops a running step when its control is pressed again', async () => {
    const SnippetRun = await freshSnippetRun()
    const view = mount(SnippetRun, {
      props: { step: 'g-job/07-jobs' },
    })
    FakeEventSource.instances[0]!.emit(snapshot)
    // Started from the other window: this page's control turns into stop.
    FakeEventSource.instances[0]!.emit({
      type: 'start',
      step: 'g-job/07-jobs',
      startedAt: new Date().toISOString(),
    })
    await flushPromises()
    await view.find('button.snippet-run__run--stop').trigger('click')
    expect(fetchMock).toHaveBeenCalledWith('/__live-steps/stop', expect.objectContaining({ method: 'POST', body: '{"step":"g-job/07-jobs"}' }))
  })

  it('shows nothing live when the page prints (the browser exporter)', async () => {
    const happyDOM = (window as unknown as { happyDOM: { setURL: (url: string) => void } }).happyDOM
    happyDOM.setURL('http://localhost:3030/export/1')
    try {
      const SnippetRun = await freshSnippetRun()
      const view = mount(SnippetRun, {
        props: { step: 'g-job/07-jobs' },
      })
      expect(FakeEventSource.instances).toEqual([])
      expect(view.find('button').exists()).toBe(false)
      expect(view.find('.snippet-run__badge').text()).toBe('recorded live 2026-11-20 · kind v1.35.0 · Linkerd edge-26.6.3')
    }
    finally {
      happyDOM.setURL('http://localhost:3000/')
    }
  })

  it('shows runs but offers no control in the next-slide preview', async () => {
    const SnippetRun = await freshSnippetRun()
    const view = mount(SnippetRun, {
      props: { step: 'g-job/07-jobs' },
      global: {
        provide: {
          '$$slidev-render-context': ref('previewNext'),
        },
      },
    })
    FakeEventSource.instances[0]!.emit(snapshot)
    FakeEventSource.instances[0]!.emit({
      type: 'end',
      run: {
        step: 'g-job/07-jobs',
        state: 'matches',
        output: 'ok',
        startedAt: new Date().toISOString(),
      },
    })
    await flushPromises()
    expect(view.find('button').exists()).toBe(false)
    expect(view.find('.snippet-run__mark--ok').text()).toBe('✓ matches expected')
  })
})
