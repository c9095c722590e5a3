// security/secret-setting-not-password: an authentication setting whose key or label names a
// credential (api key, client secret, token, password…) but whose `type` is not `password`.
import { defineRule, type RawFinding } from '../rule.js'
import { mentionsSecret, secretLabelOf, secretNameOf, tokenizeName } from './support/secret-names.js'
import { settingsOf } from './support/settings-model.js'

export const secretSettingNotPassword = defineRule({
  id: 'security/secret-setting-not-password',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: "Credential settings have type 'password'",
  docs: {
    why: "Segment masks settings of type 'password' in its UI and API responses; a credential in a 'string' setting is shown in clear to everyone with access to the workspace.",
    fix: "Set `type: 'password'` on the setting. The value and how the code reads it do not change.",
    bad: "apiKey: { label: 'API Key', description: 'Your Acme API key', type: 'string', required: true }",
    good: "apiKey: { label: 'API Key', description: 'Your Acme API key', type: 'password', required: true }"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const setting of settingsOf(context.head)) {
      // Only a known non-password text type is wrong: booleans, numbers and enums cannot hold a secret.
      if (setting.type !== 'string' || setting.hasChoices || !setting.location) continue
      const keyWords = tokenizeName(setting.key)
      let phrase = secretNameOf(setting.key)
      let reason = `its key \`${setting.key}\``
      const keySaysNotSecret = IDENTIFIER_ENDINGS.has(keyWords[keyWords.length - 1] ?? '') || keyWords.some((word) => PUBLIC_WORDS.has(word))
      if (!phrase && setting.label && !keySaysNotSecret && !labelNamesSomethingElse(setting.label)) {
        phrase = secretLabelOf(setting.label)
        reason = `its label "${setting.label}"`
      }
      // A bare `key` is ambiguous; the description decides.
      if (!phrase && keyWords.length === 1 && keyWords[0] === 'key' && setting.description && mentionsSecret(setting.description)) {
        phrase = 'key'
        reason = 'its description'
      }
      if (!phrase) continue
      findings.push({
        message: `Setting \`${setting.key}\` holds ${/^[aeiou]/i.test(phrase) ? 'an' : 'a'} ${phrase} (from ${reason}) but has type 'string', so Segment shows it in clear in the UI. Set \`type: 'password'\` on \`${setting.key}\`.`,
        path: setting.location.path,
        line: setting.location.line,
        column: setting.location.column,
        key: setting.pointer
      })
    }
    return findings
  }
})

/** A key naming a public value (`publicKey` labelled "API Key") wins over its label. */
const PUBLIC_WORDS = new Set(['public', 'publishable', 'pub'])

/** Keys ending in these name an identifier or an address, whatever their label says. */
const IDENTIFIER_ENDINGS = new Set(['id', 'ids', 'url', 'uri', 'endpoint', 'name', 'code', 'region', 'domain', 'host', 'type', 'version', 'prefix', 'email', 'username', 'user', 'format', 'mode', 'count', 'size', 'length', 'header', 'field', 'number'])

/** A label whose key says it is an identifier (`apiKeyId` labelled "API Key") is judged by the key. */
function labelNamesSomethingElse(label: string): boolean {
  const words = tokenizeName(label)
  return words.includes('id') || words.includes('public')
}
