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
  // Asked for, help is the output (stdout, 0); without a command it explains the usage error (stderr, 2).
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText())
    return 0
  }
  if (!name) {
    io.stderr(helpText())
    return 2
  }
  const entry = COMMANDS.find((candidate) => candidate.name === name)
  if (!entry) {
    io.stderr(
      `integration-review: unknown command ${JSON.stringify(name)}; commands: ${COMMANDS.map((candidate) => candidate.name).join(', ')} (integration-review --help describes them)\n`
    )
    return 2
  }
  const command = await entry.load()
  try {
    return await command.run(rest, io)
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`integration-review ${name}: ${error.message}\n`)
      return 2
    }
    const argumentError = describeArgumentError(error)
    if (argumentError !== undefined) {
      io.stderr(`integration-review ${name}: ${argumentError}; usage: ${entry.usage}\n`)
      return 2
    }
    throw error
  }
}

/**
 * `util.parseArgs` reports unknown or malformed flags with an `ERR_PARSE_ARGS_*` code and a
 * message written for programmers (with a hint whose quotes do not balance); this says the same
 * in a few words. The flag is the message's first quoted token; without one, its first sentence.
 */
export function describeArgumentError(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) return undefined
  const message = error instanceof Error ? error.message : ''
  // `'-f, --format <value>'` names the option as `--format`.
  const quoted = /'([^']*)'/
    .exec(message)?.[1]
    ?.replace(/ <value>$/, '')
    .split(', ')
    .pop()
  if (quoted !== undefined && quoted !== '') {
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${quoted}`
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${quoted}`
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      return /does not take an argument/.test(message) ? `option ${quoted} takes no value` : `option ${quoted} needs a value`
  }
  const sentence = message.split(/\.\s/)[0].replace(/'/g, '').trim()
  return sentence === '' ? 'invalid arguments' : sentence.charAt(0).toLowerCase() + sentence.slice(1)
}
