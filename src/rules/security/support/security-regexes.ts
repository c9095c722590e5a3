// Every regular expression the security rules run on untrusted text (code, paths, manifests),
// gathered in one place so test/security/regex-safety.test.ts can prove each is linear-time.
import { BINARY_EXTENSIONS } from '../hardcoded-secret.js'
import { CODE_FILE, TEST_PATH } from './code-files.js'
import { DIGITS_ONLY } from './secret-names.js'
import { PORT_SUFFIX } from './url-parts.js'
import { BASE64_LINE, PEM_BODY_WHITESPACE, PEM_STRING_JOINS, SECRET_FAMILIES } from './secret-patterns.js'

export interface NamedRegex {
  name: string
  regex: RegExp
}

export const SECURITY_REGEXES: readonly NamedRegex[] = [
  ...SECRET_FAMILIES.map((family) => ({ name: `secret family ${family.id}`, regex: family.pattern })),
  { name: 'PEM body whitespace', regex: PEM_BODY_WHITESPACE },
  { name: 'PEM joined string literals', regex: PEM_STRING_JOINS },
  { name: 'PEM base64 line', regex: BASE64_LINE },
  { name: 'digits-only name word', regex: DIGITS_ONLY },
  { name: 'URL port suffix', regex: PORT_SUFFIX },
  { name: 'code file path', regex: CODE_FILE },
  { name: 'test file path', regex: TEST_PATH },
  { name: 'binary file extension', regex: BINARY_EXTENSIONS }
]
