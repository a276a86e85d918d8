import { IMAGE, layout } from './layout'

// containerd's configuration for the lab (version 2, containerd 1.6): everything under the lab's
// tmpfs, its own socket, and the two settings this kind of machine needs (see README.md).

export function containerdConfig(): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"'
  return `version = 2
root = "${layout.root}"
state = "${layout.state}"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = "${layout.socket}"

[ttrpc]
  address = "${layout.socket}.ttrpc"

[${cri}]
  sandbox_image = "${IMAGE}"
  # This machine refuses to lower a process's oom_score_adj, and the pause container asks for -998.
  restrict_oom_score_adj = true
  # The pods' network namespaces go under the lab's state directory, not /var/run/netns.
  netns_mounts_under_state_dir = true

[${cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

[${cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[${cri}.containerd.runtimes.runc.options]
  Root = "${layout.runcRoot}"

[${cri}.cni]
  bin_dir = "${layout.cniBin}"
  conf_dir = "${layout.cniConf}"
  max_conf_num = 1
`
}
