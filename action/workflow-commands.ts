// How a JavaScript action talks to the runner without @actions/core: workflow commands on stdout,
// outputs appended to $GITHUB_OUTPUT, the job summary appended to $GITHUB_STEP_SUMMARY.
import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import type { CheckRunAnnotation } from '../src/report/check-run-report.js'
import type { ReviewLogger } from '../src/github/github-client.js'

export type WriteLine = (line: string) => void

// Workflow command escaping, as @actions/core does it: text from a pull request (rule messages
// quote it) must not end the command early or start a new one.
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/** Logs as GitHub Actions expects: plain lines, warnings and errors as workflow commands. */
export function actionsLogger(write: WriteLine, bindings: Record<string, unknown> = {}): ReviewLogger {
  const line = (prefix: string, object: object, message?: string) =>
    write(`${prefix}${escapeData(`${message ?? ''} ${JSON.stringify({ ...bindings, ...object })}`)}`)
  return {
    info: (object, message) => line('', object, message),
    debug: (object, message) => line('::debug::', object, message),
    warn: (object, message) => line('::warning::', object, message),
    error: (object, message) => line('::error::', object, message),
    child: (more) => actionsLogger(write, { ...bindings, ...more })
  }
}

/** GitHub shows at most this many annotations written as workflow commands in one step. */
const WORKFLOW_ANNOTATION_LIMIT = 50

export function writeAnnotations(write: WriteLine, annotations: readonly CheckRunAnnotation[]): number {
  const shown = annotations.slice(0, WORKFLOW_ANNOTATION_LIMIT)
  for (const annotation of shown) {
    const command = annotation.annotation_level === 'failure' ? 'error' : annotation.annotation_level === 'warning' ? 'warning' : 'notice'
    write(
      `::${command} file=${escapeProperty(annotation.path)},line=${annotation.start_line},title=${escapeProperty(annotation.title)}::${escapeData(annotation.message)}`
    )
  }
  return shown.length
}

/** Sets a step output (multi-line safe: a random delimiter no value can contain by chance). */
export function setOutput(outputFile: string | undefined, write: WriteLine, name: string, value: string): void {
  if (!outputFile) {
    // Outside a runner (or an old one): say it in the log rather than lose it.
    write(`output ${name}=${value.length > 200 ? `${value.slice(0, 200)}…` : value}`)
    return
  }
  const delimiter = `ir_${randomUUID()}`
  appendFileSync(outputFile, `${name}<<${delimiter}\n${value}\n${delimiter}\n`)
}

export function appendSummary(summaryFile: string | undefined, markdown: string): boolean {
  if (!summaryFile) return false
  appendFileSync(summaryFile, `${markdown}\n`)
  return true
}
