// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import LabResult from '../../components/LabResult.vue'
import NatTable from '../../components/NatTable.vue'
import PacketPath from '../../components/PacketPath.vue'
import PodLayouts from '../../components/PodLayouts.vue'
import PodStartup from '../../components/PodStartup.vue'
import SnippetRun from '../../components/SnippetRun.vue'
import { TRAFFIC_CASES } from '../../model/firewall/traffic-cases'

describe('packetPath', () => {
  it('walks the chosen connection and says where it ends up', () => {
    const view = mount(PacketPath, {
      props: { initial: 'outbound-app' },
    })
    expect(view.find('.packet-path__connection').text()).toBe('the app (UID 1000) → 10.96.112.40:80, routed via eth0')
    const matched = view.findAll('.packet-path__rule--matched')
    expect(matched.map(row => row.find('.packet-path__target').text())).toEqual(['REDIRECT to 4140'])
    expect(view.find('.packet-path__outcome').text()).toBe('→ proxy outbound on 127.0.0.1:4140')
  })

  it('follows a new choice made with the radio buttons', async () => {
    const view = mount(PacketPath)
    const proxy = view.find('input[value="outbound-proxy"]')
    await proxy.setValue(true)
    expect(view.find('.packet-path__outcome').text()).toBe('→ not redirected: leaves the pod for 10.244.0.12:8080')
    expect(view.find('.chip-group__chip--on').text()).toBe('the proxy (UID 2102)')
  })

  it('offers the connections as one short row of buttons per group, in the model\'s order', () => {
    const view = mount(PacketPath)
    const groups = view.findAll('.packet-path__group').map(group => ({
      name: group.find('.chip-group__name').text(),
      cases: group.findAll('.chip-group__chip').map(c => c.text()),
    }))
    expect(groups).toEqual([
      {
        name: 'In',
        cases: ['to the app, :8080', 'kubelet probe, :4191'],
      },
      {
        name: 'Out',
        cases: ['app to a Service', 'the proxy (UID 2102)', 'app to localhost', 'to a skipped port, :4567'],
      },
      {
        name: 'CNI, classic',
        cases: ['app init container', 'init container as UID 2102'],
      },
    ])
    // One radio group across the rows, so the arrow keys reach every connection.
    expect(new Set(view.findAll('.packet-path__cases input').map(input => input.attributes('name'))).size).toBe(1)
    expect(view.findAll('.packet-path__cases input').map(input => input.attributes('value'))).toEqual(TRAFFIC_CASES.map(c => c.id))
  })

  it('switches to linkerd-cni\'s rules for the CNI cases', async () => {
    const view = mount(PacketPath, {
      props: { initial: 'cni-init-container' },
    })
    expect(view.find('.packet-path__source').text()).toContain('linkerd-cni')
    expect(view.find('.packet-path__outcome').text()).toBe('→ refused: nothing listens on 127.0.0.1:4140')
    expect(view.find('.packet-path__outcome--refused').exists()).toBe(true)
  })

  it('prints every connection in the table the PDF shows', () => {
    const view = mount(PacketPath)
    const rows = view.findAll('.packet-path-summary tbody tr')
    expect(rows).toHaveLength(TRAFFIC_CASES.length)
    expect(rows[1]!.findAll('td').map(td => td.text())).toEqual([
      'In: kubelet probe, :4191',
      'ignore-port-4190,4191,4567,4568: RETURN',
      'proxy admin on 10.244.0.7:4191',
    ])
  })

  it('offers only the cases asked for', () => {
    const view = mount(PacketPath, {
      props: {
        cases: ['inbound-app', 'localhost'],
        initial: 'localhost',
      },
    })
    expect(view.findAll('.chip-group__chip')).toHaveLength(2)
    expect(view.find('.packet-path__outcome').text()).toBe('→ app on 127.0.0.1:8080')
  })
})

describe('podStartup', () => {
  it('reveals one step per click, and opens only the current one with its actors and detail', () => {
    const view = mount(PodStartup, {
      props: { step: 3 },
    })
    const steps = view.findAll('.pod-startup__steps li')
    expect(steps).toHaveLength(8)
    expect(steps.filter(s => !s.classes('pod-startup__step--hidden'))).toHaveLength(3)
    expect(view.find('.pod-startup__step--current').text()).toContain('The kubelet asks for a sandbox')
    expect(view.findAll('.pod-startup__actor--active').map(a => a.text())).toEqual(['kubelet', 'containerd'])
    // The steps before it are down to their titles.
    const details = view.findAll('.pod-startup__detail')
    expect(details).toHaveLength(1)
    expect(details[0]!.text()).toMatch(/^RunPodSandbox: containerd creates and pins a new network namespace/)
    expect(steps[1]!.find('.pod-startup__title').text()).toBe('The scheduler binds the pod to a node')
    expect(steps[1]!.find('.pod-startup__detail').exists()).toBe(false)
  })

  it('shows every step\'s title, and the last one\'s detail, when no click count is given, as in the PDF', () => {
    const view = mount(PodStartup)
    expect(view.findAll('.pod-startup__step--hidden')).toHaveLength(0)
    expect(view.find('.pod-startup__step--current').text()).toContain('The app starts')
    expect(view.findAll('.pod-startup__detail').map(d => d.text())).toEqual([
      'Its traffic is meshed from the first packet; at the end, the proxy stops after the app.',
    ])
  })

  it('switches layout from its radio buttons and marks the steps that differ', async () => {
    const view = mount(PodStartup, {
      props: { step: 5 },
    })
    expect(view.findAll('.pod-startup__step--differs')).toHaveLength(0)
    await view.find('input[value="cni"]').setValue(true)
    await view.find('input[value="classic"]').setValue(true)
    const current = view.find('.pod-startup__step--current')
    expect(current.text()).toContain('The app\'s init containers run')
    expect(current.find('.pod-startup__detail').text()).toContain('Their outbound TCP is refused')
    expect(view.findAll('.pod-startup__step--differs').length).toBeGreaterThan(0)
    expect(view.attributes('aria-label')).toBe('Pod start-up, CNI plugin · classic sidecar')
  })

  it('can start in another layout without switches', () => {
    const view = mount(PodStartup, {
      props: {
        firewall: 'cni',
        sidecar: 'classic',
        switchable: false,
        step: 1,
      },
    })
    expect(view.find('.pod-startup__switches').exists()).toBe(false)
    expect(view.find('.pod-startup__detail').text()).toContain('linkerd-network-validator is appended to initContainers')
  })
})

describe('podLayouts', () => {
  it('lists the four layouts from the model, Linkerd\'s containers as code, the default in bold', () => {
    const view = mount(PodLayouts)
    const rows = view.findAll('tbody tr').map(row => row.findAll('td').map(cell => cell.text()))
    expect(rows).toEqual([
      ['classic, linkerd-init', 'app\'s inits → linkerd-init', 'linkerd-proxy, app'],
      ['classic, CNI', 'app\'s inits → linkerd-network-validator', 'linkerd-proxy, app'],
      ['native, linkerd-init (default)', 'linkerd-init → linkerd-proxy → app\'s inits', 'app'],
      ['native, CNI', 'linkerd-network-validator → linkerd-proxy → app\'s inits', 'app'],
    ])
    expect(view.findAll('tbody code').map(c => c.text())).not.toContain('app\'s inits')
    expect(view.find('.pod-layouts__default').text()).toContain('(default)')
  })
})

describe('snippetRun', () => {
  it('shows the command after a prompt, then the output with volatile parts marked', () => {
    const view = mount(SnippetRun, {
      props: { step: 'd-cni-broken/08-pods' },
    })
    const lines = view.findAll('code .line').map(line => line.text())
    expect(lines[0]).toBe('# The validator failed, so nothing after it runs.')
    expect(lines[1]).toBe('$ kubectl get pods -n demo -l app=latecomer')
    expect(lines[3]).toMatch(/^latecomer-‹hash›\s+0\/2\s+Init:CrashLoopBackOff\s+‹restarts›\s+‹age›$/)
    expect(view.findAll('.snippet-run__volatile').map(v => v.attributes('title'))).toEqual([
      'varies: generated part of a pod name',
      'varies: restart count, e.g. 3 (40s ago)',
      'varies: AGE column',
    ])
  })

  it('badges the output as not yet verified live', () => {
    const view = mount(SnippetRun, {
      props: { step: 'g-job/07-jobs', part: 'output' },
    })
    expect(view.find('.snippet-run__badge--unverified').text()).toBe('not yet verified live')
    expect(view.find('.snippet-run__file').text()).toBe('07-jobs.out')
    expect(view.text()).not.toContain('$ kubectl')
  })

  it('shows only the command, without a badge, for part="command"', () => {
    const view = mount(SnippetRun, {
      props: { step: 'a-default-install/05-deploy-server', part: 'command' },
    })
    expect(view.find('.snippet-run__badge').exists()).toBe(false)
    const prompts = view.findAll('.snippet-run__prompt')
    expect(prompts).toHaveLength(2)
  })
})

describe('natTable', () => {
  it('shows the fixture\'s two chains as short rule lists in words, in the order they are read', () => {
    const view = mount(NatTable)
    expect(view.find('pre').exists()).toBe(false)
    const hooks = view.findAll('tbody').map(hook => ({
      title: hook.find('th').text(),
      rules: hook.findAll('tr').slice(1).map(row => row.findAll('td').map(td => td.text())),
    }))
    expect(hooks).toEqual([
      {
        title: 'In PREROUTING → PROXY_INIT_REDIRECT',
        rules: [['1', 'TCP to port 4190, 4191, 4567, 4568', 'RETURN'], ['2', 'any TCP', 'REDIRECT to 4143']],
      },
      {
        title: 'Out OUTPUT → PROXY_INIT_OUTPUT',
        rules: [
          ['1', 'owner UID 2102', 'RETURN'],
          ['2', 'out via lo', 'RETURN'],
          ['3', 'TCP to port 4567, 4568', 'RETURN'],
          ['4', 'any TCP', 'REDIRECT to 4140'],
        ],
      },
    ])
    // Each rule's proxy-init comment, the name to look for in a real table, on hover.
    expect(view.find('tr[title="ignore-proxy-user-id"]').text()).toContain('owner UID 2102')
  })

  it('renders linkerd-cni\'s rules on request', () => {
    const view = mount(NatTable, {
      props: { rules: 'linkerd-cni' },
    })
    expect(view.text()).toContain('TCP to port 4191, 4190')
    expect(view.text()).not.toContain('4567')
  })

  it('prints the raw iptables-save dump with each rule\'s target set apart, for view="save"', () => {
    const view = mount(NatTable, {
      props: { view: 'save' },
    })
    const lines = view.findAll('.line')
    expect(lines[0]!.text()).toBe('*nat')
    expect(lines.at(-1)!.text()).toBe('COMMIT')
    expect(view.findAll('.nat-table__target').map(t => t.text()).filter(Boolean)).toContain('-j REDIRECT --to-ports 4140')
  })
})

describe('labResult', () => {
  it('shows each recorded connection with the model\'s prediction, the kernel\'s answer and a verdict per mode', () => {
    const view = mount(LabResult)
    const rows = view.findAll('tbody tr')
    expect(rows.length).toBe(10)
    const proxy = rows.find(row => row.text().startsWith('Out: the proxy (UID 2102)'))!
    expect(proxy.findAll('td').map(td => td.text()).slice(1, 3)).toEqual([
      'not redirected: leaves the pod for 10.244.0.12:8080',
      'remote host answered on 10.244.0.12:8080',
    ])
    expect(view.findAll('.lab-result__disagree')).toHaveLength(0)
    expect(view.find('.lab-result__source').text()).toContain('sudo npm run lab:firewall')
  })

  it('can show a subset of the connections', () => {
    expect(mount(LabResult, {
      props: {
        only: ['validator'],
      },
    }).findAll('tbody tr')).toHaveLength(1)
  })
})
