import type { IptablesMode, LabRow } from './run-lab'

// The lab's table, for the terminal, and its record (model/rules/lab-result.json) for the deck.

export interface LabPass {
  mode: IptablesMode
  iptables: string
  rows: LabRow[]
}

export interface LabRecord {
  about: string
  date: string
  kernel: string
  passes: LabPass[]
}

export function formatTable(passes: readonly LabPass[]): string {
  const lines: string[] = []
  for (const pass of passes) {
    const rows = [
      ['connection', 'rules', 'model predicts', 'kernel did', ''],
      ...pass.rows.map(r => [r.label, r.rules, r.predicted, r.observed, r.agrees ? 'agree' : 'DISAGREE']),
    ]
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map(row => row[column]!.length)))
    lines.push(`${pass.iptables}:`)
    for (const row of rows)
      lines.push(`  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}`)
  }
  return lines.join('\n')
}

export function tally(passes: readonly LabPass[]): { agree: number, disagree: number } {
  const rows = passes.flatMap(p => p.rows)
  return { agree: rows.filter(r => r.agrees).length, disagree: rows.filter(r => !r.agrees).length }
}

export function labRecord(passes: readonly LabPass[], kernel: string, date: string): LabRecord {
  return {
    about: 'Written by `npm run lab:firewall -- --record` (as root): for each connection, what the packet-path model predicts and what the kernel did with linkerd-init\'s and linkerd-cni\'s rules restored in a network namespace. The deck\'s lab slide shows it.',
    date,
    kernel,
    passes: [...passes],
  }
}
