// The destination's slug, name and authentication scheme identify it to Segment and to every
// connected customer; changing them breaks the catalog entry or every stored credential.
import { defineRule, type RawFinding } from '../rule.js'
import { atWrittenProperty, bothRevisions, findingAt, isJsonObject, isUnresolvedValue, type MetadataNode } from './metadata-diff.js'

export const identityChanged = defineRule({
  id: 'compat/identity-changed',
  category: 'compat',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Destination slug, name or authentication scheme changed',
  docs: {
    why:
      "Segment's catalog and every connected instance refer to the destination by `slug` and `name`; changing them detaches the " +
      'definition from its catalog entry. A new `authentication.scheme` (e.g. `custom` → `oauth2`) invalidates the credentials every customer stored.',
    fix: 'Keep `slug`, `name` and `authentication.scheme`. A new authentication method needs a new destination (or a migration agreed with Segment).',
    bad: "name: 'Acme CRM', // was 'Acme CRM (Actions)'",
    good: "name: 'Acme CRM (Actions)',"
  },
  scope: 'integration',
  check(context) {
    const revisions = bothRevisions(context)
    if (!revisions) return []
    const { base, head } = revisions
    const findings: RawFinding[] = []
    const compare = (pointer: string, label: string, before: MetadataNode, after: MetadataNode, consequence: string) => {
      if (typeof before !== 'string' || typeof after !== 'string' || before === after) return
      const finding = findingAt(
        context,
        pointer,
        pointer,
        `The destination's ${label} changed from \`${before}\` to \`${after}\`. ${consequence} Keep \`${before}\`.`,
        'error'
      )
      // The metadata keeps no location for plain values: point at the property as written in the definition.
      findings.push(atWrittenProperty(context, pointer.split('/').slice(1), finding))
    }
    compare(
      '/slug',
      '`slug`',
      base.slug,
      head.slug,
      'Segment and every connected instance find the destination by its slug; the definition would no longer match its catalog entry.'
    )
    compare('/name', '`name`', base.name, head.name, 'The catalog entry is matched by name; the definition would no longer match it.')
    const authOf = (auth: MetadataNode) => (isJsonObject(auth) && !isUnresolvedValue(auth) ? auth.scheme : undefined)
    compare(
      '/authentication/scheme',
      '`authentication.scheme`',
      authOf(base.authentication),
      authOf(head.authentication),
      'Credentials every customer stored were obtained for the old scheme and stop working.'
    )
    return findings
  }
})
