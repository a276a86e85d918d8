import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import process from 'node:process'

/** Written to a scratch file beside `file`, then renamed: a reader, or a run killed mid-write, never sees half a file. */
export function writeFileAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true })
  const scratch = `${file}.${process.pid}.tmp`
  try {
    writeFileSync(scratch, text)
    renameSync(scratch, file)
  }
  finally {
    rmSync(scratch, { force: true })
  }
}
