import { POD_SUBNET } from './layout'

// The CNI conflist the lab's containerd reads: kindnet's chain (ptp, host-local, portmap), then
// the stand-in linkerd-cni plugin once a case appends it, then the recording plugin, last, so it
// sees what every plugin before it did.

export const CNI_VERSION = '0.4.0'
export const NETWORK_NAME = 'sbxlab'
export const RECORD_PLUGIN = 'sbxlab-record'
export const STANDIN_PLUGIN = 'sbxlab-linkerd-cni-standin'

export interface ConflistOptions {
  withLinkerdCni: boolean
  logFile: string
  rulesFile: string
}

export function conflist(options: ConflistOptions): object {
  const plugins: object[] = [
    {
      type: 'ptp',
      ipMasq: false,
      ipam: {
        type: 'host-local',
        dataDir: '/run/sbxlab/ipam',
        ranges: [[{ subnet: POD_SUBNET }]],
        routes: [{ dst: '0.0.0.0/0' }],
      },
      mtu: 1500,
    },
    {
      type: 'portmap',
      capabilities: { portMappings: true },
    },
  ]
  if (options.withLinkerdCni)
    plugins.push({ type: STANDIN_PLUGIN, rulesFile: options.rulesFile })
  plugins.push({ type: RECORD_PLUGIN, logFile: options.logFile })
  return { cniVersion: CNI_VERSION, name: NETWORK_NAME, plugins }
}
