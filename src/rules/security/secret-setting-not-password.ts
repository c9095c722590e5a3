// security/secret-setting-not-password: an authentication setting whose key or label names a
// credential (api key, client secret, token, password…) but whose `type` is not `password`.
// A description that calls the value a public identifier wins; a browser destination's settings
// reach every visitor, so its client tokens are public (a named secret there is a warning).
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
    fix: "Set `type: 'password'` on the setting. The value and how the code reads it do not change. If the value is a public identifier (a pixel ID, a publishable key), say so in its description.",
    bad: "apiKey: { label: 'API Key', description: 'Your Acme API key', type: 'string', required: true }",
    good: "apiKey: { label: 'API Key', description: 'Your Acme API key', type: 'password', required: true }"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    // A browser destination's settings are delivered to every visitor's browser: its keys are public client tokens.
    const inBrowser = context.integration.kind === 'browser-destination' || context.head.metadata?.mode === 'device'
    for (const setting of settingsOf(context.head)) {
      // Only a known non-password text type is wrong: booleans, numbers and enums cannot hold a secret.
      if (setting.type !== 'string' || setting.hasChoices || !setting.location) continue
      const keyWords = tokenizeName(setting.key)
      let phrase = secretNameOf(setting.key)
      let reason = `its key \`${setting.key}\``
      const keySaysNotSecret =
        IDENTIFIER_ENDINGS.has(keyWords[keyWords.length - 1] ?? '') || keyWords.some((word) => PUBLIC_WORDS.has(word))
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
      // The description says what the value is: "Unique identifier for the web pixel", "your public key".
      if (setting.description && describesPublicValue(setting.description) && !mentionsPrivateValue(setting.description)) continue
      if (inBrowser) {
        // A password type hides nothing there; only a value named as a real secret is worth a human's look.
        if (!PRIVATE_WORDS.some((word) => phrase.includes(word))) continue
        findings.push({
          message: `Setting \`${setting.key}\` holds ${/^[aeiou]/i.test(phrase) ? 'an' : 'a'} ${phrase} (from ${reason}), but this is a browser destination: its settings reach every visitor's browser, whatever their type. If the value is a real secret it must not be here; use the partner's public client key.`,
          path: setting.location.path,
          line: setting.location.line,
          column: setting.location.column,
          severity: 'warning',
          key: setting.pointer
        })
        continue
      }
      const article = /^[aeiou]/i.test(phrase) ? 'an' : 'a'
      findings.push({
        message:
          context.integration.kind === 'cloud-source'
            ? `Setting \`${setting.key}\` holds ${article} ${phrase} (from ${reason}) but is not marked sensitive, so Segment shows it in clear in the UI. Set \`"sensitive": true\` on \`${setting.key}\` in the settings manifest.`
            : `Setting \`${setting.key}\` holds ${article} ${phrase} (from ${reason}) but has type 'string', so Segment shows it in clear in the UI. Set \`type: 'password'\` on \`${setting.key}\`.`,
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
const IDENTIFIER_ENDINGS = new Set([
  'id',
  'ids',
  'url',
  'uri',
  'endpoint',
  'name',
  'code',
  'region',
  'domain',
  'host',
  'type',
  'version',
  'prefix',
  'email',
  'username',
  'user',
  'format',
  'mode',
  'count',
  'size',
  'length',
  'header',
  'field',
  'number'
])

/** A label whose key says it is an identifier (`apiKeyId` labelled "API Key") is judged by the key. */
function labelNamesSomethingElse(label: string): boolean {
  const words = tokenizeName(label)
  return words.includes('id') || words.includes('public')
}

/** Words that make a credential private whatever else is said (`client secret`, `password`). */
const PRIVATE_WORDS = ['secret', 'password', 'private']

/** A description that says the value is a public identifier, not a credential. */
function describesPublicValue(description: string): boolean {
  const words = tokenizeName(description)
  if (words.includes('identifier') || words.includes('publishable')) return true
  for (let index = 0; index + 1 < words.length; index++) {
    if (words[index] === 'public' && ['key', 'token', 'id', 'identifier', 'api', 'client'].includes(words[index + 1])) return true
    if ((words[index] === 'client' && words[index + 1] === 'side') || (words[index] === 'not' && words[index + 1] === 'secret')) return true
  }
  return false
}

function mentionsPrivateValue(description: string): boolean {
  const words = tokenizeName(description)
  return words.some((word) => PRIVATE_WORDS.includes(word))
}
