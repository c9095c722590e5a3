// Says whether a name (a variable, a property, a setting key or label) names a credential.
// Names are split into words in every case style (`apiKey`, `client_secret`, `auth-token`,
// `API Key`) and judged on their last word, so `apiKeyId` or `token_url` are not secrets.

/** Splits camelCase, PascalCase, snake_case, kebab-case, dotted and spaced names into lower-case words. */
export function tokenizeName(name: string): string[] {
  const words: string[] = []
  let current = ''
  const flush = () => {
    if (current) words.push(current.toLowerCase())
    current = ''
  }
  const chars = [...name]
  for (let index = 0; index < chars.length; index++) {
    const character = chars[index]
    const isUpper = character >= 'A' && character <= 'Z'
    const isLower = character >= 'a' && character <= 'z'
    const isDigit = character >= '0' && character <= '9'
    if (!isUpper && !isLower && !isDigit) {
      flush()
      continue
    }
    const previous = chars[index - 1] ?? ''
    const next = chars[index + 1] ?? ''
    const previousLower = previous >= 'a' && previous <= 'z'
    const previousUpper = previous >= 'A' && previous <= 'Z'
    const nextLower = next >= 'a' && next <= 'z'
    // `apiKey` → api|Key ; `APIKey` → API|Key
    if (isUpper && current && (previousLower || (previousUpper && nextLower))) flush()
    current += character
  }
  flush()
  return words
}

/** Words that end a credential name on their own. */
const SECRET_WORDS = new Set([
  'secret',
  'secrets',
  'token',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'credential',
  'credentials',
  'apikey',
  'secretkey',
  'accesstoken',
  'authtoken',
  'privatekey',
  'clientsecret',
  'writekey',
  'authorization'
])

/** Before `key`, these make it a credential (`api key`, `private key`, `write key`). */
const KEY_QUALIFIERS = new Set([
  'api',
  'secret',
  'private',
  'access',
  'signing',
  'write',
  'auth',
  'client',
  'app',
  'encryption',
  'hmac',
  'license',
  'master',
  'subscription',
  'partner',
  'developer',
  'account',
  'integration',
  'consumer',
  'service',
  'rest',
  'server',
  'admin',
  'shared'
])

/** Before `token`, these name something that is not a credential (paging cursors, device IDs). */
const NON_SECRET_TOKEN_QUALIFIERS = new Set([
  'csrf',
  'xsrf',
  'page',
  'next',
  'prev',
  'previous',
  'continuation',
  'cursor',
  'sync',
  'pagination',
  'id',
  'device',
  'push',
  'registration',
  'idempotency',
  'cancel',
  'cancellation',
  'fcm',
  'apns',
  'notification',
  'test',
  'dummy',
  'fake',
  'mock'
])

/** Anywhere in the name, these mean the value is public by design. */
const PUBLIC_WORDS = new Set(['public', 'publishable', 'pub'])

/**
 * The credential phrase a name ends with ("api key", "client secret"), or undefined.
 * `apiKeyId`, `publicKey`, `postal_code`, `token_url`, `nextPageToken` give undefined.
 */
function secretNamePhrase(words: readonly string[]): string | undefined {
  const meaningful = words.filter((word) => !DIGITS_ONLY.test(word))
  if (meaningful.length === 0) return undefined
  if (meaningful.some((word) => PUBLIC_WORDS.has(word))) return undefined
  const last = meaningful[meaningful.length - 1]
  const previous = meaningful[meaningful.length - 2]
  if (last === 'key') return previous && KEY_QUALIFIERS.has(previous) ? `${previous} key` : undefined
  if (last === 'token' || last === 'tokens') {
    if (previous && NON_SECRET_TOKEN_QUALIFIERS.has(previous)) return undefined
    return previous ? `${previous} token` : 'token'
  }
  if (SECRET_WORDS.has(last))
    return previous && (previous === 'client' || previous === 'api' || previous === 'shared') ? `${previous} ${last}` : last
  return undefined
}

/**
 * Answers by name, kept for the process: the same names (`apiKey`, `email`, `url`) come back in
 * every integration and every analysis that asks. Only short names are kept, and at most
 * SECRET_NAME_MEMO_SIZE of them (then the memo starts over), so hostile input cannot grow it.
 */
const secretNames = new Map<string, string | undefined>()
const SECRET_NAME_MEMO_SIZE = 20_000
const MEMOISED_NAME_LENGTH = 64

export function secretNameOf(name: string): string | undefined {
  if (name.length > MEMOISED_NAME_LENGTH) return secretNamePhrase(tokenizeName(name))
  if (secretNames.has(name)) return secretNames.get(name)
  const phrase = secretNamePhrase(tokenizeName(name))
  if (secretNames.size >= SECRET_NAME_MEMO_SIZE) secretNames.clear()
  secretNames.set(name, phrase)
  return phrase
}

/** The phrase a human label names ("API Key (from Settings)" → "api key"), ignoring parenthesised notes. */
export function secretLabelOf(label: string): string | undefined {
  let cut = label.length
  for (const stop of ['(', ':', ' - ', ' – ', '.']) {
    const index = label.indexOf(stop)
    if (index > 0 && index < cut) cut = index
  }
  return secretNameOf(label.slice(0, cut))
}

/** Whether free text (a description) mentions a credential phrase anywhere. */
export function mentionsSecret(text: string): boolean {
  const words = tokenizeName(text)
  for (let index = 0; index < words.length; index++) {
    if (secretNamePhrase(words.slice(Math.max(0, index - 1), index + 1))) return true
  }
  return false
}

export const DIGITS_ONLY = /^\d+$/
