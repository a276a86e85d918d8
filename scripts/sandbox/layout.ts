import { join } from 'node:path'

// Where the lab keeps everything it starts. All of it lives under BASE (a tmpfs the lab mounts
// and unmounts) or is the NODE_NS network namespace, so teardown and the leftover check look in
// exactly two places.

export const BASE = '/run/sbxlab'
/** The network namespace that plays the node: containerd, its shims and the CNI chain run in it. */
export const NODE_NS = 'sbxlab-node'
export const NODE_NS_PATH = `/run/netns/${NODE_NS}`
export const K8S_NAMESPACE = 'k8s.io'
export const IMAGE = 'sbxlab.local/busybox:1'
/** host-local's range in the node: the pods' addresses, inside the lab's namespaces only. */
export const POD_SUBNET = '10.244.1.0/24'
/** A stand-in Service address, on the node namespace's loopback: the init containers dial it. */
export const SERVICE = { host: '10.96.0.10', port: 80 }

export const layout = {
  config: join(BASE, 'containerd.toml'),
  socket: join(BASE, 'containerd.sock'),
  root: join(BASE, 'root'),
  state: join(BASE, 'state'),
  runcRoot: join(BASE, 'runc'),
  cniBin: join(BASE, 'cni-bin'),
  cniConf: join(BASE, 'net.d'),
  cniLog: join(BASE, 'cni-calls.jsonl'),
  proxyInitRules: join(BASE, 'linkerd-cni-rules.txt'),
  podLogs: join(BASE, 'pod-logs'),
  imageTar: join(BASE, 'busybox-image.tar'),
  containerdLog: join(BASE, 'containerd.log'),
}
