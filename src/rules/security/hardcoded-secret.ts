// security/hardcoded-secret: a literal of a precise token family (AWS, GitHub with its checksum,
// Slack, Stripe live, Google, SendGrid, npm, PEM private keys with a key body, JWTs, URLs with
// passwords, literal Authorization headers…) anywhere in the integration, tests included. Output
// is redacted. A line marked `gitleaks:allow` (the de-facto marker of a reviewed sample) is skipped.
import { defineRule, type RawFinding } from '../rule.js'
import { isTestPath, textPosition, fileLabel } from './support/code-files.js'
import { findSecrets } from './support/scan-secrets.js'

/** Lockfiles hold integrity hashes that look random; the reference scanners skip them too. */
const SKIPPED_FILES = new Set(['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'npm-shrinkwrap.json', 'deno.lock'])
export const BINARY_EXTENSIONS = /\.(?:png|jpe?g|gif|ico|webp|woff2?|ttf|eot|zip|gz|tgz|pdf)$/i

export const hardcodedSecret = defineRule({
  id: 'security/hardcoded-secret',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'No credential is written in the code',
  docs: {
    why: 'A token committed to a public repository is leaked: anyone can read it from the history, even after it is deleted. Prefixed tokens (ghp_, sk_live_, xoxb-, AKIA…) are recognised by shape and checksum, so these findings are rarely wrong.',
    fix: 'Revoke the credential at its provider now, remove it, and read it from an authentication setting of type password (`settings.apiKey`) or from `auth.accessToken`. In tests use an obviously fake value; a reviewed sample may carry `// gitleaks:allow` on its line.',
    bad: "headers: { Authorization: 'Bearer sk_live_…' }",
    good: 'headers: { Authorization: `Bearer ${settings.apiKey}` }'
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const path of context.integrationFiles) {
      const name = path.slice(path.lastIndexOf('/') + 1)
      const label = fileLabel(path)
      if (SKIPPED_FILES.has(name) || BINARY_EXTENSIONS.test(name)) continue
      const text = context.headSource.readFile(path)
      if (text === undefined || text.includes('\0')) continue
      const seenLines = new Set<number>()
      for (const hit of findSecrets(text, isTestPath(path))) {
        const { line, column } = textPosition(text, hit.offset)
        if (seenLines.has(line)) continue
        seenLines.add(line)
        findings.push({
          message:
            hit.severity === 'info'
              ? `${capitalise(hit.family.title)} look-alike is written in \`${label}\` (${hit.redacted}). It fails the checksum real tokens carry, so it is probably a sample; if it is a real token, revoke it and read it from an authentication setting instead.`
              : `${capitalise(hit.family.title)} is written in \`${label}\` (${hit.redacted}). Anyone who can read the repository can use it: revoke it at the provider, then read it from an authentication setting of type \`password\` or from \`auth\` instead of the code.`,
          path,
          line,
          column,
          severity: hit.severity,
          key: `${hit.family.id}:${hit.redacted}`
        })
      }
    }
    return findings
  }
})

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
