// Every regex the security rules run on untrusted text must be linear-time: recheck (static
// analysis plus fuzzing) must call it safe, and adversarial inputs must finish promptly.
import { checkSync } from 'recheck'
import { describe, expect, it } from 'vitest'
import { SECURITY_REGEXES } from '../../src/rules/security/support/security-regexes.js'
import { findSecrets } from '../../src/rules/security/support/scan-secrets.js'

/** Long runs of the characters the patterns repeat: prefixes, separators, token alphabets. */
const ADVERSARIAL_INPUTS: Record<string, string> = {
  'AKIA repeated': 'AKIA'.repeat(50_000),
  'ghp_ repeated': 'ghp_'.repeat(50_000),
  'eyJ- repeated': 'eyJ-'.repeat(50_000),
  'eyJ. repeated': 'eyJa.'.repeat(40_000),
  'PEM header repeated': '-----BEGIN '.repeat(20_000),
  'slack prefix repeated': 'xoxb-1234567890-'.repeat(12_000),
  'url credentials repeated': 'a://b:c'.repeat(30_000),
  'bearer repeated': 'Bearer '.repeat(30_000),
  'key- repeated': 'key-'.repeat(50_000),
  'sk-proj- repeated': 'sk-proj-'.repeat(25_000),
  'Q~ repeated': 'abc1Q~'.repeat(30_000),
  'hex run': 'a1b2c3d4e5'.repeat(20_000),
  'letters run': 'a'.repeat(200_000),
  'whitespace run': ' \t\n'.repeat(60_000),
  'secret assignment repeated': 'secret_access_key = "'.repeat(10_000),
  'path separators': '/__tests__/test/'.repeat(12_000) + 'x.ts!'
}

describe('regex safety', () => {
  it('collects a regex per token family and helper', () => {
    expect(SECURITY_REGEXES.length).toBeGreaterThan(30)
  })

  for (const { name, regex } of SECURITY_REGEXES) {
    // recheck's fuzzer bounds its runs by steps (incubationLimit, attackLimit) and, by default, by
    // time too (250 ms, 1 s): on a busy machine a slow run then reads as an attack and a linear
    // regex is rated vulnerable. Steps alone make the verdict the same on any machine.
    it(`recheck rates ${name} safe`, () => {
      const diagnostics = checkSync(regex.source, regex.flags.replace('g', ''), {
        incubationTimeout: null,
        attackTimeout: null,
        timeout: null
      })
      expect(diagnostics.status, `${name}: ${JSON.stringify(diagnostics).slice(0, 2000)}`).toBe('safe')
    }, 120_000)
  }

  it('every regex completes on adversarial inputs', () => {
    for (const { name, regex } of SECURITY_REGEXES) {
      for (const [inputName, input] of Object.entries(ADVERSARIAL_INPUTS)) {
        const started = performance.now()
        const pattern = new RegExp(regex.source, regex.flags.includes('g') ? regex.flags : `${regex.flags}g`)
        let matches = 0
        for (const match of input.matchAll(pattern)) if (match[0].length >= 0) matches++
        const elapsed = performance.now() - started
        // A generous bound: it only catches super-linear blow-ups, never a slow machine.
        expect(elapsed, `${name} on ${inputName}`).toBeLessThan(1000)
        expect(matches).toBeGreaterThanOrEqual(0)
      }
    }
  })

  it('the whole secret scan completes on adversarial text', () => {
    for (const input of Object.values(ADVERSARIAL_INPUTS)) expect(Array.isArray(findSecrets(input, false))).toBe(true)
  })
})
