// The command-line front door: parses the sub-command and prints; all work is in the engine.
import { InputError } from '../input-error.js'
import type { CliCommand, CliIo } from './cli-command.js'
import { explainCommand } from './commands/explain-command.js'
import { modelCommand } from './commands/model-command.js'
import { reviewCommand } from './commands/review-command.js'
import { rulesCommand } from './commands/rules-command.js'

export const COMMANDS: CliCommand[] = [reviewCommand, rulesCommand, explainCommand, modelCommand]

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
  const command = COMMANDS.find((candidate) => candidate.name === name)
  if (!command) {
    io.stderr(`integration-review: unknown command "${name}"\n${helpText()}`)
    return 2
  }
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
