import { defineUnoSetup } from '@slidev/types'

export default defineUnoSetup(() => ({
  // iptables-save prints chain counters such as [0:0]. UnoCSS would take them for an
  // arbitrary CSS property and emit a rule the minifier rejects, failing the build.
  blocklist: [/^\[\d+:\d+\]$/],
}))
