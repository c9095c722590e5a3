// sources/identity: every call a source emits names who it is about. Segment drops a track,
// identify, page or screen without userId or anonymousId; a group without groupId and an alias
// without previousId and userId are rejected. An email as userId is likely wrong: the Spec asks for
// a database id, which does not change when the user changes their address (warning).
import type { EmittedCall, IdentityKey, IdentityValue, Position } from '../../model/source/extract-source.js'
import { defineRule, type RawFinding } from '../rule.js'
import { tokenizeName } from '../security/support/secret-names.js'
import { callKey, capitalise, describeCall, isUnknown, sourceModelOf } from './support/source-calls.js'

const isAbsent = (value: IdentityValue) => !isUnknown(value) && value.source === 'absent'

/** How the code shows that a call's userId is an email address (a literal address, or a read of an email-named field), and where. */
function emailUserId(call: EmittedCall): { what: string; at: Position } | undefined {
  const value = call.identity.userId
  const written = call.identityWritten?.userId
  const at = written ? { path: written.path, line: written.line, column: written.column } : call.location
  if (!isUnknown(value) && value.source === 'literal' && typeof value.value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.value))
    return { what: `the address "${value.value}"`, at }
  const name = written?.readName
  if (name !== undefined && tokenizeName(name).some((word) => word === 'email' || word === 'emails' || word === 'mail'))
    return { what: `\`${name}\``, at }
  return undefined
}

export const identity = defineRule({
  id: 'sources/identity',
  category: 'sources',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Every call identifies its user',
  docs: {
    why: "Segment rejects a track, identify, page or screen call with neither userId nor anonymousId, a group call without groupId, and an alias without previousId and userId. The customer's events are lost without an error the partner sees.",
    fix: "Set `userId` to the customer's own id for the user (not the tool's id; that may go in `context`), or `anonymousId` when there is none. Give group calls a `groupId` and alias calls a `previousId`.",
    bad: "Segment.track({ event: 'Order Completed', properties })",
    good: "Segment.track({ event: 'Order Completed', userId: body.customer_id, properties })"
  },
  scope: 'integration',
  check(context) {
    const model = sourceModelOf(context)
    if (!model) return []
    const findings: RawFinding[] = []
    model.calls.forEach((call, index) => {
      const missing: string[] = []
      const need = (keys: IdentityKey[], label: string) => {
        if (keys.every((key) => isAbsent(call.identity[key]))) missing.push(label)
      }
      if (call.type === 'set') return
      const email = emailUserId(call)
      if (email) {
        findings.push({
          path: email.at.path,
          line: email.at.line,
          column: email.at.column,
          severity: 'warning',
          key: `${callKey(call, index)}#email-user-id`,
          message: `${capitalise(describeCall(call))} uses ${email.what} as \`userId\`. An email changes when the user changes their address, splitting their profile in every destination; the Spec asks for a stable database id. Send the customer's own user id as \`userId\` and the email as a trait (\`context.traits.email\` or \`traits.email\`).`
        })
      }
      if (call.type === 'alias') {
        need(['previousId'], '`previousId`')
        need(['userId'], '`userId`')
      } else {
        need(['userId', 'anonymousId'], '`userId` or `anonymousId`')
        if (call.type === 'group') need(['groupId'], '`groupId`')
      }
      if (missing.length === 0) return
      findings.push({
        path: call.location.path,
        line: call.location.line,
        column: call.location.column,
        key: `${callKey(call, index)}#identity`,
        message: `${capitalise(describeCall(call))} has no ${missing.join(' and no ')}. Segment rejects the call, so the customer never receives this event; set ${missing.join(' and ')} from the customer's own id for the user.`
      })
    })
    return findings
  }
})
