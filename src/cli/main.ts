// The command-line front door: parses the sub-command and prints; all work is in the engine.
import { InputError } from '../input-error.js'
import type { CliIo } from './cli-command.js'
import { COMMANDS } from './command-list.js'

function helpText(): string {
  const lines = ['integration-review — static review of Segment integrations', '', 'Commands:']
  for (const command of COMMANDS) lines.push(`  ${command.usage}`, `      ${command.summary}`)
  return `${lines.join('\n')}\n`
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText())
    return name ? 0 : 2
  }
  const entry = COMMANDS.find((candidate) => candidate.name === name)
  if (!entry) {
    io.stderr(`integration-review: unknown command "${name}"\n${helpText()}`)
    return 2
  }
  const command = await entry.load()
  try {
    return await command.run(rest, io)
  } catch (error) {
    if (error instanceof InputError || isArgumentError(error)) {
      io.stderr(`integration-review ${name}: ${(error as Error).message}\n`)
      return 2
    }
    throw error
  }
}

/** `util.parseArgs` reports unknown or malformed flags with these codes. */
function isArgumentError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')
}
