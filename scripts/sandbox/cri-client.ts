import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'

// A CRI v1 client for the calls the lab makes, over containerd's unix socket, as the kubelet talks to it.

const PROTO = fileURLToPath(new URL('./cri.proto', import.meta.url))

const RPCS = [
  'Version',
  'RunPodSandbox',
  'StopPodSandbox',
  'RemovePodSandbox',
  'PodSandboxStatus',
  'CreateContainer',
  'StartContainer',
  'StopContainer',
  'RemoveContainer',
  'ContainerStatus',
  'Status',
] as const
export type CriMethod = typeof RPCS[number]

export type CriClient = Record<CriMethod, (request: object) => Promise<any>> & { close: () => void }

export function criClient(socket: string): CriClient {
  const definition = protoLoader.loadSync(PROTO, {
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: true,
  })
  const runtime = (grpc.loadPackageDefinition(definition) as any).runtime.v1
  const raw = new runtime.RuntimeService(`unix://${socket}`, grpc.credentials.createInsecure())
  const client = {
    close: () => raw.close(),
  } as CriClient
  for (const rpc of RPCS) {
    const method = rpc.charAt(0).toLowerCase() + rpc.slice(1)
    const call = promisify(raw[method].bind(raw)) as (request: object, options: object) => Promise<any>
    client[rpc] = request => call(request, { deadline: Date.now() + 30_000 })
  }
  return client
}
