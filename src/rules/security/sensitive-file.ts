// security/sensitive-file: a file the pull request adds that holds credentials by its nature —
// `.env`, private keys (`.pem` with a private key, `.key`, `.p12`, `.pfx`, `id_rsa`…), or an
// `.npmrc` carrying an auth token. Judged by path and, where it decides, by content.
import { defineRule, type RawFinding } from '../rule.js'
import { textPosition } from './support/code-files.js'

/** `.env`, `.env.production`; not the documented templates `.env.example` / `.env.sample`. */
function isEnvFile(name: string): boolean {
  if (name !== '.env' && !name.startsWith('.env.')) return false
  return !['.example', '.sample', '.template', '.dist', '.defaults'].some((suffix) => name.endsWith(suffix))
}

const KEY_FILE_NAMES = new Set(['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519'])
const KEYSTORE_EXTENSIONS = ['.p12', '.pfx', '.jks', '.keystore', '.key']

/** The first line of an `.npmrc` that carries a literal credential (not a `${ENV}` reference). */
function npmrcCredentialOffset(text: string): number | undefined {
  let offset = 0
  for (const line of text.split('\n')) {
    const trimmed = line.trim()
    const equals = trimmed.indexOf('=')
    if (equals > 0 && !trimmed.startsWith('#') && !trimmed.startsWith(';')) {
      const key = trimmed.slice(0, equals).trim()
      const value = trimmed.slice(equals + 1).trim()
      const isCredentialKey = key.endsWith('_authToken') || key.endsWith('_auth') || key.endsWith('_password') || key === 'password'
      if (isCredentialKey && value.length > 0 && !value.startsWith('${') && !value.startsWith('$')) return offset + line.indexOf(trimmed)
    }
    offset += line.length + 1
  }
  return undefined
}

export const sensitiveFile = defineRule({
  id: 'security/sensitive-file',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'No credential files are committed',
  docs: {
    why: 'Environment files, private keys and npm credentials are secrets by nature. Once merged into a public repository they are leaked for good.',
    fix: 'Remove the file from the pull request (and its history), rotate what it contained, and add its name to `.gitignore`. Commit a `.env.example` with placeholder values if others need the variable names.',
    bad: '.env\nACME_API_KEY=…',
    good: '.env.example\nACME_API_KEY=your-api-key'
  },
  scope: 'pull-request',
  check(context) {
    const findings: RawFinding[] = []
    for (const path of context.changedPaths) {
      if (context.baseSource?.readFile(path) !== undefined) continue
      const text = context.headSource.readFile(path)
      if (text === undefined) continue
      const name = path.slice(path.lastIndexOf('/') + 1)
      let problem: string | undefined
      let line = 1
      if (isEnvFile(name)) {
        if (text.trim().length === 0) continue
        problem = 'an environment file, which holds real configuration and credentials'
      } else if (KEY_FILE_NAMES.has(name)) {
        problem = 'a private SSH key'
      } else if (KEYSTORE_EXTENSIONS.some((extension) => name.endsWith(extension))) {
        problem = 'a private key or key store'
      } else if (name.endsWith('.pem')) {
        const index = text.indexOf('PRIVATE KEY-----')
        // A certificate or public key in a .pem is public by design.
        if (index === -1) continue
        problem = 'a PEM file with a private key'
        line = textPosition(text, index).line
      } else if (name === '.npmrc') {
        const offset = npmrcCredentialOffset(text)
        if (offset === undefined) continue
        problem = 'an npm configuration with a literal auth token'
        line = textPosition(text, offset).line
      }
      if (!problem) continue
      findings.push({
        message: `The pull request adds \`${path}\`, ${problem}. Remove it from the pull request and its history, rotate the credentials it holds, and list it in \`.gitignore\` (commit a placeholder-only example instead if needed).`,
        path,
        line,
        key: path
      })
    }
    return findings
  }
})
