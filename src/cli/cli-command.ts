// The shape of one CLI sub-command; `main.ts` dispatches to them.
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Whether stdout is a terminal (colour and progress only then). */
  isTty: boolean
  cwd: string
  /** The environment, for switches a front door reads there (TIMING=1); absent in tests. */
  env?: Readonly<Record<string, string | undefined>>
}

export interface CliCommand {
  name: string
  summary: string
  usage: string
  /** Returns the process exit code: 0 ok, 1 findings block, 2 usage or input error. */
  run(args: string[], io: CliIo): Promise<number> | number
}
