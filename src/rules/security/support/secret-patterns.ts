// The precise token families of security/hardcoded-secret (research/security-checks.md §1.3).
// Each regex starts with a literal prefix or a look-behind, bounds every quantifier and runs
// only after its keyword pre-filter; test/security/regex-safety.test.ts checks each with recheck.
import type { Severity } from '../../rule.js'
import { decodeJwtSegment, hasValidGitHubChecksum, looksLikePlaceholder, shannonEntropy } from './secret-text.js'

interface SecretMatchContext {
  /** The whole text the match was found in. */
  text: string
  /** Offset of the match in the text. */
  offset: number
  isTest: boolean
}

export interface SecretFamily {
  id: string
  /** What the partner reads: "a GitHub personal access token". */
  title: string
  /** Lower-case substrings; the regex runs only when one occurs in the lower-cased text. */
  keywords: readonly string[]
  /** Global regex; `secretGroup` (default 0) is the credential itself. */
  pattern: RegExp
  secretGroup?: number
  /** Minimum Shannon entropy of the secret (bits per character). */
  minEntropy?: number
  severity: Severity
  /** Per-value severity, when the family can tell a real value from a look-alike. */
  severityOf?: (secret: string) => Severity
  /** Public, non-secret prefix shown in redacted output. */
  prefix?: (secret: string) => string | undefined
  /** Family-specific checks after the match; false drops it. */
  accept?: (secret: string, match: RegExpExecArray, context: SecretMatchContext) => boolean
  /**
   * True for families judged by shape and entropy alone (no prefix or checksum): tests are full
   * of such fake values, so there they are a warning.
   */
  weakInTests?: boolean
  /** Skip the generic placeholder filter (e.g. it would reject on the family's own prefix). */
  skipPlaceholderFilter?: boolean
  /**
   * A literal every match holds, as the first occurrence of it from the match's start, at most
   * `within` characters in: the scan then tries the pattern only just before each occurrence
   * instead of at every character of the text (the same matches, found faster).
   */
  anchor?: { text: string; within: number }
}

/** Escaped newlines and whitespace inside a PEM body written as a string literal. */
export const PEM_BODY_WHITESPACE = /\\n|\s/g
/** A string literal closed and the next one concatenated: `'…\\n' +\n  'MIIE…'`. */
export const PEM_STRING_JOINS = /['"`]\s*\+\s*['"`]/g
export const BASE64_LINE = /^[A-Za-z0-9+/=]+$/

/** The base64 lines after a PEM header (the rest of the header line is skipped); code after a bare header is no body. */
function pemBody(afterHeader: string): string {
  let body = ''
  const lines = afterHeader.replace(PEM_STRING_JOINS, '').split(/\\n|\n/)
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].replace(/\s/g, '').replace(/['"`,;)]+$/, '')
    if (index === 0 && !BASE64_LINE.test(line)) continue
    if (!BASE64_LINE.test(line)) break
    body += line
  }
  return body
}

const upTo = (separator: string) => (secret: string) => {
  const index = secret.indexOf(separator)
  return index > 0 && index < 16 ? secret.slice(0, index + separator.length) : undefined
}

/** True when `word` occurs within `distance` characters of the match. */
function nearby(context: SecretMatchContext, word: string, distance = 300): boolean {
  const start = Math.max(0, context.offset - distance)
  return context.text
    .slice(start, context.offset + distance)
    .toLowerCase()
    .includes(word)
}

function withoutPrefix(secret: string, separator: string): string {
  const index = secret.lastIndexOf(separator)
  return index >= 0 ? secret.slice(index + separator.length) : secret
}

const JWT_IO_SAMPLE_SUBJECT = '1234567890'

export const SECRET_FAMILIES: readonly SecretFamily[] = [
  {
    id: 'aws-access-key-id',
    title: 'an AWS access key ID',
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    pattern: /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
    minEntropy: 3.0,
    severity: 'error',
    prefix: (secret) => secret.slice(0, 4),
    // AKIAIOSFODNN7EXAMPLE is the sample key of AWS's own documentation.
    accept: (secret) => !secret.endsWith('EXAMPLE')
  },
  {
    id: 'aws-secret-access-key',
    title: 'an AWS secret access key',
    keywords: ['secret'],
    pattern: /(?:aws_?)?secret_?access_?key[\s'"`]{0,3}[:=]{1,2}[\s'"`]{0,3}([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    secretGroup: 1,
    minEntropy: 4.0,
    severity: 'error'
  },
  {
    id: 'github-token',
    title: 'a GitHub token',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    pattern: /\bgh[pousr]_[A-Za-z0-9]{36}\b/g,
    minEntropy: 3.0,
    severity: 'error',
    prefix: upTo('_'),
    // The last six characters are a CRC32 of the rest: a value that fails it was never issued,
    // so it is only a note (someone may still have pasted a truncated or edited real token).
    severityOf: (secret) => (hasValidGitHubChecksum(secret) ? 'error' : 'info')
  },
  {
    id: 'github-fine-grained-pat',
    title: 'a GitHub fine-grained personal access token',
    keywords: ['github_pat_'],
    pattern: /\bgithub_pat_[A-Za-z0-9_]{82}(?![A-Za-z0-9_])/g,
    minEntropy: 3.0,
    severity: 'error',
    prefix: () => 'github_pat_'
  },
  {
    id: 'gitlab-pat',
    title: 'a GitLab personal access token',
    keywords: ['glpat-'],
    pattern: /\bglpat-[A-Za-z0-9_-]{20,300}/g,
    minEntropy: 3.0,
    severity: 'error',
    prefix: () => 'glpat-'
  },
  {
    id: 'slack-bot-token',
    title: 'a Slack bot token',
    keywords: ['xoxb'],
    pattern: /\bxoxb-\d{10,13}-\d{10,13}-[A-Za-z0-9]{8,64}/g,
    minEntropy: 3.0,
    severity: 'error',
    prefix: () => 'xoxb-'
  },
  {
    id: 'slack-user-token',
    title: 'a Slack user token',
    keywords: ['xoxp-', 'xoxe-'],
    pattern: /\bxox[pe](?:-\d{10,13}){3}-[A-Za-z0-9]{28,34}/g,
    minEntropy: 2.0,
    severity: 'error',
    prefix: upTo('-')
  },
  {
    id: 'slack-app-token',
    title: 'a Slack app-level token',
    keywords: ['xapp'],
    pattern: /\bxapp-\d-[A-Z0-9]{1,32}-\d{1,20}-[A-Za-z0-9]{1,128}/g,
    minEntropy: 2.0,
    severity: 'error',
    prefix: () => 'xapp-'
  },
  {
    id: 'slack-legacy-token',
    title: 'a legacy Slack token',
    keywords: ['xoxa', 'xoxo', 'xoxs', 'xoxr'],
    pattern: /\bxox[aors]-\d{1,20}-\d{1,20}-\d{1,20}-[a-fA-F0-9]{1,64}/g,
    minEntropy: 2.0,
    severity: 'error',
    prefix: upTo('-')
  },
  {
    id: 'slack-webhook-url',
    title: 'a Slack incoming-webhook URL (the URL is the credential)',
    keywords: ['hooks.slack.com'],
    pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{43,56}/g,
    severity: 'error',
    prefix: () => 'hooks.slack.com/'
  },
  {
    id: 'stripe-live-secret-key',
    title: 'a Stripe live secret key',
    keywords: ['sk_live', 'rk_live'],
    pattern: /\b(?:sk|rk)_live_[A-Za-z0-9]{10,128}\b/g,
    minEntropy: 2.0,
    severity: 'error',
    prefix: (secret) => secret.slice(0, 8)
  },
  {
    id: 'stripe-test-secret-key',
    title: 'a Stripe test secret key',
    keywords: ['sk_test', 'rk_test'],
    pattern: /\b(?:sk|rk)_test_[A-Za-z0-9]{10,128}\b/g,
    minEntropy: 2.0,
    severity: 'warning',
    prefix: (secret) => secret.slice(0, 8),
    // "test" is the family's own prefix: filter placeholders on the random part only.
    skipPlaceholderFilter: true,
    accept: (secret) => !looksLikePlaceholder(withoutPrefix(secret, '_'))
  },
  {
    id: 'google-api-key',
    title: 'a Google API key',
    keywords: ['aiza'],
    pattern: /\bAIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
    minEntropy: 4.0,
    severity: 'error',
    prefix: () => 'AIza'
  },
  {
    id: 'private-key',
    title: 'a private key (PEM)',
    keywords: ['-----begin'],
    pattern: /-----BEGIN ([A-Z0-9 ]{0,60})-----/g,
    severity: 'error',
    skipPlaceholderFilter: true,
    prefix: (secret) => secret,
    // The header alone is not enough: the key type must be private and a body must follow.
    accept: (_secret, match, context) => {
      const kind = match[1] ?? ''
      if (!(kind.endsWith('PRIVATE KEY') || kind.endsWith('PRIVATE KEY BLOCK'))) return false
      const bodyStart = context.offset + match[0].length
      const end = context.text.indexOf('-----END', bodyStart)
      const raw = end === -1 ? context.text.slice(bodyStart, bodyStart + 400) : context.text.slice(bodyStart, end)
      // The body is base64 (across escaped newlines and joined string literals); code after a bare header is not a body.
      const body = pemBody(raw)
      return body.length >= 64 && !looksLikePlaceholder(body.slice(0, 64))
    }
  },
  {
    id: 'jwt',
    title: 'a JSON Web Token',
    keywords: ['eyj'],
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,4096}\.eyJ[A-Za-z0-9_-]{10,8192}\.[A-Za-z0-9_-]{0,4096}/g,
    minEntropy: 3.0,
    severity: 'warning',
    prefix: () => 'eyJ',
    // Tests are full of fake tokens; unsigned tokens and jwt.io's sample are not credentials.
    accept: (secret, _match, context) => {
      if (context.isTest) return false
      const [header, payload] = secret.split('.')
      const decodedHeader = decodeJwtSegment(header)
      const decodedPayload = decodeJwtSegment(payload)
      if (!decodedHeader || !decodedPayload) return false
      if (typeof decodedHeader.alg === 'string' && decodedHeader.alg.toLowerCase() === 'none') return false
      if (decodedPayload.sub === JWT_IO_SAMPLE_SUBJECT && decodedPayload.name === 'John Doe') return false
      return true
    }
  },
  {
    id: 'npm-token',
    title: 'an npm access token',
    keywords: ['npm_'],
    pattern: /\bnpm_[A-Za-z0-9]{36}\b/g,
    minEntropy: 2.0,
    severity: 'error',
    prefix: () => 'npm_'
  },
  {
    id: 'openai-api-key',
    title: 'an OpenAI API key',
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-'],
    pattern: /\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,300}/g,
    minEntropy: 3.0,
    severity: 'error',
    prefix: (secret) => secret.slice(0, secret.indexOf('-', 3) + 1),
    accept: (secret) => secret.includes('T3BlbkFJ')
  },
  {
    id: 'anthropic-api-key',
    title: 'an Anthropic API key',
    keywords: ['sk-ant-'],
    pattern: /\bsk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA(?![A-Za-z0-9_-])/g,
    severity: 'error',
    prefix: () => 'sk-ant-'
  },
  {
    id: 'sendgrid-api-key',
    title: 'a SendGrid API key',
    keywords: ['sg.'],
    pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
    minEntropy: 2.0,
    severity: 'error',
    prefix: () => 'SG.'
  },
  {
    id: 'twilio-api-key',
    title: 'a Twilio API key SID',
    keywords: ['twilio'],
    pattern: /\bSK[0-9a-fA-F]{32}\b/g,
    minEntropy: 3.0,
    severity: 'error',
    prefix: () => 'SK',
    // SK + 32 hex is also a random ID shape: only with Twilio in sight.
    accept: (_secret, _match, context) => nearby(context, 'twilio')
  },
  {
    id: 'mailchimp-api-key',
    title: 'a Mailchimp API key',
    keywords: ['-us'],
    pattern: /\b[0-9a-f]{32}-us\d{1,2}\b/g,
    minEntropy: 3.0,
    severity: 'error'
  },
  {
    id: 'mailgun-api-key',
    title: 'a Mailgun API key',
    keywords: ['mailgun'],
    pattern: /\bkey-[0-9a-f]{32}\b/g,
    minEntropy: 3.0,
    severity: 'error',
    prefix: () => 'key-',
    accept: (_secret, _match, context) => nearby(context, 'mailgun')
  },
  {
    id: 'shopify-token',
    title: 'a Shopify access token',
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    pattern: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g,
    minEntropy: 2.0,
    severity: 'error',
    prefix: upTo('_')
  },
  {
    id: 'sentry-user-token',
    title: 'a Sentry user token',
    keywords: ['sntryu_'],
    pattern: /\bsntryu_[a-f0-9]{64}\b/g,
    minEntropy: 3.5,
    severity: 'error',
    prefix: () => 'sntryu_'
  },
  {
    id: 'digitalocean-token',
    title: 'a DigitalOcean token',
    keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    pattern: /\bdo[opr]_v1_[a-f0-9]{64}\b/g,
    minEntropy: 3.0,
    severity: 'error',
    prefix: (secret) => secret.slice(0, 7)
  },
  {
    id: 'linear-api-key',
    title: 'a Linear API key',
    keywords: ['lin_api_'],
    pattern: /\blin_api_[A-Za-z0-9]{40}\b/g,
    minEntropy: 2.0,
    severity: 'error',
    prefix: () => 'lin_api_'
  },
  {
    id: 'postman-api-key',
    title: 'a Postman API key',
    keywords: ['pmak-'],
    pattern: /\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b/gi,
    minEntropy: 3.0,
    severity: 'error',
    prefix: () => 'PMAK-'
  },
  {
    id: 'databricks-token',
    title: 'a Databricks token',
    keywords: ['dapi'],
    pattern: /\bdapi[a-f0-9]{32}(?:-\d)?\b/g,
    minEntropy: 3.0,
    severity: 'error',
    prefix: () => 'dapi'
  },
  {
    id: 'huggingface-token',
    title: 'a Hugging Face token',
    keywords: ['hf_'],
    pattern: /\bhf_[A-Za-z]{34}\b/g,
    minEntropy: 3.5,
    severity: 'error',
    prefix: () => 'hf_'
  },
  {
    id: 'pypi-upload-token',
    title: 'a PyPI upload token',
    keywords: ['pypi-ageichlwas5vcmc'],
    pattern: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}/g,
    minEntropy: 3.0,
    severity: 'error',
    prefix: () => 'pypi-'
  },
  {
    id: 'azure-ad-client-secret',
    title: 'an Azure AD client secret',
    keywords: ['q~'],
    pattern: /(?<![A-Za-z0-9_~.])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
    minEntropy: 3.0,
    severity: 'error'
  },
  {
    id: 'square-access-token',
    title: 'a Square (or Meta-like) access token',
    keywords: ['eaaa', 'sq0atp-'],
    pattern: /\b(?:EAAA|sq0atp-)[A-Za-z0-9_-]{22,60}\b/g,
    minEntropy: 3.0,
    severity: 'error',
    prefix: (secret) => (secret.startsWith('EAAA') ? 'EAAA' : 'sq0atp-')
  },
  {
    id: 'url-with-password',
    title: 'a URL with an embedded password',
    keywords: ['://'],
    // The scheme starts where a run of scheme characters starts (not at every \b inside one),
    // so no text is scanned for a scheme from more than one start: recheck rates it linear.
    pattern: /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{1,15}:\/\/([^\s:@/'"`]{1,128}):([^\s:@/'"`]{1,256})@([^\s/'"`]{1,256})/gi,
    // The scheme (2 to 16 characters, no ':') ends at the first '://' from the match's start.
    anchor: { text: '://', within: 16 },
    secretGroup: 2,
    minEntropy: 3.0,
    severity: 'error',
    weakInTests: true,
    accept: (_secret, match) => {
      const host = (match[3] ?? '').toLowerCase()
      return !(
        host.startsWith('localhost') ||
        host.startsWith('127.0.0.1') ||
        host.includes('example.') ||
        host.endsWith('.test') ||
        host.endsWith('.invalid')
      )
    }
  },
  {
    id: 'authorization-header',
    title: 'a literal credential in an Authorization header value',
    keywords: ['bearer', 'basic', 'token'],
    pattern: /\b(?:Bearer|Basic|Token)\s{1,3}([A-Za-z0-9._~+/-]{20,2048}={0,2})/g,
    secretGroup: 1,
    minEntropy: 3.5,
    severity: 'error',
    weakInTests: true,
    accept: (secret, match) => {
      if (!match[0].startsWith('Basic')) return true
      // Basic credentials are base64 of user:password; placeholders decode to words.
      const decoded = Buffer.from(secret, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      return colon > 0 && !looksLikePlaceholder(decoded.slice(colon + 1)) && shannonEntropy(decoded.slice(colon + 1)) >= 2.5
    }
  }
]
