import type { CniCall, CniCommand } from './cni-log'
import { appendFileSync } from 'node:fs'
import { invocation, processesIn, proxyInitRulesIn, respond } from './cni-plugin'

// The recording plugin, last in the lab's chain: logs every ADD, DEL and CHECK with the sandbox,
// its network namespace, how many processes live there and how many proxy-init rules it holds,
// then hands the previous result back unchanged.

const call = invocation()
if (['ADD', 'DEL', 'CHECK'].includes(call.command)) {
  const record: CniCall = {
    command: call.command as CniCommand,
    sandboxId: call.sandboxId,
    netns: call.netns,
    processes: call.netns ? processesIn(call.netns) : 0,
    proxyInitRules: proxyInitRulesIn(call.netns),
  }
  const ip = call.config.prevResult?.ips?.[0]?.address
  if (ip)
    record.ip = ip
  appendFileSync(String(call.config.logFile), `${JSON.stringify(record)}\n`)
}
respond(call)
