import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import process from 'node:process'
import { invocation, respond } from './cni-plugin'

// A STAND-IN for linkerd-cni (its binary can't be had here). On ADD it does what linkerd-cni
// does to a meshed pod: writes proxy-init's nat rules into the new network namespace from the
// host, through nsenter. The rules are the file the lab writes from the firewall model's
// linkerd-cni rule set, the one the firewall lab proves on a real kernel. It doesn't ask the API
// server about the pod (there is none): every pod counts as meshed. DEL and CHECK do nothing.

const call = invocation()
if (call.command === 'ADD') {
  try {
    execFileSync('nsenter', [`--net=${call.netns}`, 'iptables-nft-restore'], {
      input: readFileSync(String(call.config.rulesFile)),
      stdio: ['pipe', 'ignore', 'pipe'],
    })
  }
  catch (error) {
    process.stdout.write(JSON.stringify({ cniVersion: call.config.cniVersion, code: 999, msg: `stand-in linkerd-cni: iptables-nft-restore failed: ${String(error)}` }))
    process.exit(1)
  }
}
respond(call)
