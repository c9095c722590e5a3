// The CLI's sub-commands: what `--help` prints, and each command's module, imported only when it runs
// (so `rules`, `explain` and `--help` never load the rules, ts-morph or TypeScript).
import type { CliCommand } from './cli-command.js'

export type CliCommandInfo = Pick<CliCommand, 'name' | 'summary' | 'usage'>

export const COMMAND_INFO = {
  review: {
    name: 'review',
    summary: 'Review the integrations a change touches; exit 1 when a finding blocks the stage (default: Public)',
    usage:
      'integration-review review <repo-dir> [--base <git-ref> | --base-dir <dir>] [--format text|json|markdown|sarif|check-run] [--config <file>] [--pr-body <file>] [--author internal|partner] [--stage private-beta|public] [--integration <path>]... [--timing] [--threads <n>]'
  },
  rules: {
    name: 'rules',
    summary: 'List the rules: id, severity at Private Beta and at Public, who they apply to, title',
    usage: 'integration-review rules [--format text|markdown|json]'
  },
  explain: {
    name: 'explain',
    summary: "Print a rule's documentation: why it matters, how to fix, a bad and a good example",
    usage: 'integration-review explain <rule-id>'
  },
  model: {
    name: 'model',
    summary: 'Print the static model (Segment metadata shape) of integrations as JSON',
    usage: 'integration-review model <repo-dir> [--integration <path>]... [--base <git-ref>]'
  }
} satisfies Record<string, CliCommandInfo>

export interface CliCommandEntry extends CliCommandInfo {
  load(): Promise<CliCommand>
}

export const COMMANDS: readonly CliCommandEntry[] = [
  { ...COMMAND_INFO.review, load: async () => (await import('./commands/review-command.js')).reviewCommand },
  { ...COMMAND_INFO.rules, load: async () => (await import('./commands/rules-command.js')).rulesCommand },
  { ...COMMAND_INFO.explain, load: async () => (await import('./commands/explain-command.js')).explainCommand },
  { ...COMMAND_INFO.model, load: async () => (await import('./commands/model-command.js')).modelCommand }
]
