import type { CaseResult } from './run-cases'

// The lab's table, for the terminal, and its record (model/sandbox/lab-result.json) for the deck.

export interface SandboxRecord {
  about: string
  date: string
  kernel: string
  containerd: string
  runc: string
  rows: CaseResult[]
}

export function formatTable(rows: readonly CaseResult[]): string {
  const table = [
    ['case', 'deck predicts', 'runtime did', ''],
    ...rows.map((r, i) => [`${i + 1}. ${r.id}`, r.predicted, r.observed, r.agrees ? 'agree' : 'DISAGREE']),
  ]
  const widths = table[0]!.map((_, column) => Math.max(...table.map(row => row[column]!.length)))
  return table.map(row => `  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}`).join('\n')
}

export function tally(rows: readonly CaseResult[]): { agree: number, disagree: number } {
  return { agree: rows.filter(r => r.agrees).length, disagree: rows.filter(r => !r.agrees).length }
}

export function sandboxRecord(rows: readonly CaseResult[], versions: Omit<SandboxRecord, 'about' | 'rows'>): SandboxRecord {
  return {
    about: 'Written by `npm run lab:sandbox -- --record` (as root): for each case, what the deck says the runtime does at pod start-up and what Debian\'s containerd did when the lab drove it through the CRI as the kubelet would. The linkerd-cni plugin in it is a stand-in that applies the same rules. The deck\'s sandbox lab slide shows it.',
    ...versions,
    rows: [...rows],
  }
}
