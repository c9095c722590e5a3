// What the sources rules share: the source model of the integration under review, and the
// Segment Spec's words for naming.
import type { EmittedCall, SourceModel, Unknown } from '../../../model/source/extract-source.js'
import type { IntegrationRuleContext } from '../../rule.js'

/** The source model, or undefined when the integration is not a cloud source (or was not modelled). */
export function sourceModelOf(context: IntegrationRuleContext): SourceModel | undefined {
  return context.integration.kind === 'cloud-source' ? context.head.source : undefined
}

export function isUnknown(value: unknown): value is Unknown {
  return typeof value === 'object' && value !== null && typeof (value as Unknown).$unresolved === 'string'
}

/** A stable identity of a call inside its file, so fingerprints survive unrelated edits. */
export function callKey(call: EmittedCall, index: number): string {
  return `${call.type}:${typeof call.event === 'string' ? call.event : index}@${call.location.path}`
}

export function describeCall(call: EmittedCall): string {
  const how =
    call.via === 'source-function'
      ? `\`Segment.${call.type}\``
      : call.via === 'http-api'
        ? `the HTTP API ${call.type} call`
        : `\`analytics.${call.type}\``
  return typeof call.event === 'string' && call.type === 'track' ? `${how} of "${call.event}"` : how
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
