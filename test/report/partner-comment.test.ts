// What a partner reads (issue 18, points 4 and 5): a comment that stays short, with every
// blocking finding visible, similar notes grouped, and a status the bot does not know said so.
import { describe, expect, it } from 'vitest'
import { defaultReviewConfig } from '../../src/config/review-config.js'
import { renderCheckRun } from '../../src/report/check-run-report.js'
import { partnerText, renderMarkdown } from '../../src/report/markdown-report.js'
import { ReviewSchema, type Finding, type IntegrationReview, type Review } from '../../src/review/review-schema.js'

const REPOSITORY = 'https://github.com/segmentio/action-destinations'
const SHA = '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39'
const CLOUD = 'packages/destination-actions/src/destinations'
const INTEGRATIONS = [`${CLOUD}/acme-crm`, `${CLOUD}/globex-ads`, 'packages/browser-destinations/destinations/initech-web']

let counter = 0
function finding(integration: string, overrides: Partial<Finding>): Finding {
  counter++
  return {
    ruleId: 'structure/field-description',
    severity: 'info',
    message: 'A note.',
    integration,
    path: `${integration}/index.ts`,
    line: 10 + counter,
    column: 5,
    fingerprint: `fp-${counter}`,
    status: 'new',
    blocks: [],
    ...overrides
  }
}

/** 40 findings across 3 integrations, in the shapes of a real replayed pull request. */
function fortyFindings(): Finding[] {
  const [crm, ads, web] = INTEGRATIONS
  const findings: Finding[] = []
  const blocking = (integration: string, ruleId: string, path: string, message: string) =>
    findings.push(
      finding(integration, { ruleId, severity: 'error', path: `${integration}/${path}`, message, blocks: ['private-beta', 'public'] })
    )
  blocking(
    crm,
    'compat/setting-removed',
    'index.ts',
    'Setting `app_id` looks renamed to `appId`. Every connected destination stored its value under `app_id`, so `appId` starts empty for all of them and, being required, fails validation. Keep `app_id` beside `appId`, make `appId` optional, and read `settings.appId ?? settings.app_id`.'
  )
  blocking(
    crm,
    'security/internal-context',
    'syncContact/index.ts',
    'This line reads `features`, `statsContext` and `stateContext`, which Segment passes for its own use; a partner destination must not depend on them. Remove them, or ask Segment for a supported alternative.'
  )
  blocking(
    crm,
    'compat/field-removed',
    'syncContact/index.ts',
    'Required field `email` was removed from action `syncContact`. Existing mappings still fill `email` (every one of them, since it was required); that data no longer reaches `perform`. Keep `email` in the action (optional, if you no longer need it).'
  )
  blocking(
    ads,
    'security/hardcoded-secret',
    'constants.ts',
    'A string that looks like an API key is written in the code. Anyone who reads the repository can use it. Move it into a setting of type `password` that the customer fills in.'
  )
  blocking(
    ads,
    'compat/action-removed',
    'index.ts',
    'Action `reportConversion` (Report Conversion) was removed or renamed. Customer subscriptions point at `reportConversion` and stop delivering events once it is gone. Keep `reportConversion` in `actions` and set `hidden: true` on it so new subscriptions cannot pick it.'
  )
  blocking(
    ads,
    'structure/perform-exists',
    'reportLead/index.ts',
    'Action `reportLead` has no `perform` function, so every event it receives fails.'
  )
  blocking(
    web,
    'compat/setting-removed',
    'src/index.ts',
    'Setting `debugLogs` was removed. Every connected destination stored a value under `debugLogs`; that value is lost. Keep `debugLogs` (optional, if you no longer need it).'
  )
  blocking(
    web,
    'security/dynamic-script-url',
    'src/index.ts',
    'The script URL passed to `loadScript` is built from `settings.cdnHost`, which any workspace member can set: it can load any script into the customer’s site. Build the URL from a fixed host.'
  )
  blocking(
    web,
    'spec/fql-valid',
    'src/index.ts',
    'The subscription `type = "track" and event = Order Completed"` does not parse: a quote is missing. Segment cannot save the preset.'
  )
  const warning = (integration: string, ruleId: string, path: string, message: string) =>
    findings.push(finding(integration, { ruleId, severity: 'warning', path: `${integration}/${path}`, message }))
  for (const field of ['firstName', 'lastName', 'phone', 'company']) {
    warning(
      crm,
      'spec/mapping-path-casing',
      'fields.ts',
      `The default mapping of \`${field}\` reads "$.traits.${field.toLowerCase()}", but the Segment Spec spells the reserved trait "${field}". Paths are case-sensitive, so the field stays empty for events that follow the Spec; use "$.traits.${field}".`
    )
  }
  for (const action of ['reportLead', 'reportPurchase', 'reportSignup']) {
    warning(
      ads,
      'tests/action-has-test',
      `${action}/index.ts`,
      `Action \`${action}\` changed but no test in \`__tests__\` exercises it. Add a test that calls the action with a sample event and checks the request it sends.`
    )
  }
  for (const path of [
    'src/trackEvent/index.ts',
    'src/identifyUser/index.ts',
    'src/page/index.ts',
    'src/group/index.ts',
    'src/alias/index.ts'
  ]) {
    warning(
      web,
      'docs/field-description',
      path,
      'Field `properties` has a description shorter than ten words; customers choose mappings from it. Say what the field is sent as and what happens when it is empty.'
    )
  }
  for (let index = 0; index < 9; index++) {
    findings.push(
      finding(ads, {
        ruleId: 'compat/default-changed',
        path: `${ads}/index.ts`,
        message: `Preset \`Report Conversion ${index}\` changed its mapping. New instances get the new mapping; existing ones keep the old one, so customers who set it up before see different data from those who set it up after.`
      })
    )
  }
  const unresolvedPaths = Array.from(
    { length: 13 },
    (_, index) =>
      `\`/actions/report${index}/fields/properties/default\` (a call to \`buildMapping\` from \`../shared/mappings\` cannot be evaluated statically)`
  ).join('; ')
  findings.push(
    finding(crm, {
      ruleId: 'structure/unresolved-definition',
      message: `Static analysis could not resolve 13 parts of the definition: ${unresolvedPaths}.`
    })
  )
  for (let index = 0; index < 9; index++) {
    findings.push(
      finding(INTEGRATIONS[index % 3], {
        ruleId: 'docs/action-description',
        path: `${INTEGRATIONS[index % 3]}/index.ts`,
        message: `Action ${index} could say in its description which endpoint it calls.`
      })
    )
  }
  return findings
}

function integration(path: string, findings: readonly Finding[], overrides: Partial<IntegrationReview> = {}): IntegrationReview {
  const own = findings.filter((entry) => entry.integration === path)
  return {
    path,
    kind: path.includes('browser') ? 'browser-destination' : 'cloud-destination',
    slug: path.split('/').pop() as string,
    name: (path.split('/').pop() as string).replace(/-/g, ' '),
    status: 'public',
    existsOnBase: true,
    readiness: own.some((entry) => entry.blocks.length > 0) ? 'blocked' : 'ready-for-public',
    blocking: {
      'private-beta': own.filter((entry) => entry.blocks.includes('private-beta')).map((entry) => entry.fingerprint),
      public: own.filter((entry) => entry.blocks.includes('public')).map((entry) => entry.fingerprint)
    },
    unresolved: [],
    errors: [],
    ...overrides
  }
}

function syntheticReview(findings: Finding[], overrides: Partial<IntegrationReview> = {}): Review {
  return ReviewSchema.parse({
    integrations: INTEGRATIONS.map((path, index) => integration(path, findings, index === 0 ? overrides : {})),
    findings,
    changedPaths: INTEGRATIONS.map((path) => `${path}/index.ts`),
    skipped: [],
    ruleFailures: [],
    configErrors: [],
    suppressionErrors: []
  })
}

describe('the comment of a pull request with 40 findings across 3 integrations', () => {
  const findings = fortyFindings()
  const review = syntheticReview(findings)
  const markdown = renderMarkdown(review, { repositoryUrl: REPOSITORY, headSha: SHA })
  if (process.env.SHOW_COMMENT) console.log(`comment: ${markdown.length} characters`)

  it('stays under 8,000 characters and keeps every blocking finding visible, before anything collapsed', () => {
    expect(findings).toHaveLength(40)
    expect(markdown.length).toBeLessThan(8000)
    expect(markdown).not.toContain('This comment was cut')
    const firstDetails = markdown.indexOf('<details>')
    for (const blocking of findings.filter((entry) => entry.blocks.length > 0)) {
      const link = `${blocking.path}#L${blocking.line}`
      expect(markdown.indexOf(link), link).toBeGreaterThan(0)
      expect(markdown.indexOf(link)).toBeLessThan(firstDetails)
    }
    expect(markdown.match(/<details>/g)).toHaveLength(2)
    expect(markdown.match(/<\/details>/g)).toHaveLength(2)
  })

  it('groups similar notes under one bullet with a count and the first locations, and caps every bullet', () => {
    const presetBullets = markdown.split('\n').filter((line) => line.includes('compat/default-changed'))
    expect(presetBullets).toHaveLength(1)
    expect(presetBullets[0]).toContain('×9')
    expect(presetBullets[0]).toContain('and 6 more')
    const bullets = markdown.split('\n').filter((line) => line.startsWith('- '))
    for (const bullet of bullets) expect(bullet.length, bullet.slice(0, 80)).toBeLessThan(900)
    const unresolved = bullets.find((line) => line.includes('structure/unresolved-definition'))
    expect(unresolved).toBeDefined()
    expect(unresolved).toContain('…')
  })

  it('still sends every annotation to the check run', () => {
    expect(renderCheckRun(review, defaultReviewConfig()).annotations).toHaveLength(40)
  })

  it('keeps <details> balanced when the hard limit cuts inside a collapsed section', () => {
    const notes = Array.from({ length: 400 }, (_, index) =>
      finding(INTEGRATIONS[0], { ruleId: `docs/rule-${index}`, message: `Note ${index} ${'y'.repeat(120)}` })
    )
    const cut = renderMarkdown(syntheticReview(notes), { maxLength: 6000, comfortableLength: 6000 })
    expect(cut.length).toBeLessThanOrEqual(6000)
    expect(cut).toContain('This comment was cut')
    expect(cut.match(/<details>/g)?.length).toBe(cut.match(/<\/details>/g)?.length)
  })
})

describe('a one-destination comment', () => {
  it('says a status the bot does not know, and shows hints as hints only', () => {
    const findings = fortyFindings().filter((entry) => entry.integration === INTEGRATIONS[0])
    const markdown = renderMarkdown(
      syntheticReview(findings, {
        statusUnknown: true,
        statusHints: ['the title mentions Private Beta', 'the label `<b>beta</b>` mentions Private Beta']
      })
    )
    expect(markdown).toContain(
      'status unknown — set `status` in `.github/integration-review.yml`; judged against Public, the strictest stage (hint: the title mentions Private Beta; the label `<b>beta</b>` mentions Private Beta)'
    )
    expect(markdown).not.toContain('public, heading for Public | ⛔')
    expect(markdown.length).toBeLessThan(4000)
  })

  it('passes partner text through one helper', () => {
    expect(partnerText('<img src=x> @octocat')).toBe('&lt;img src=x&gt; @\u200boctocat')
    expect(partnerText('a|b', 'cell')).toBe('a\\|b')
    expect(partnerText('a`b\nc', 'code')).toBe('``a`b c``')
  })
})

describe('many blocking findings', () => {
  it('keeps every one visible, each rule’s under one bullet listing every location, in a short comment', () => {
    const [crm] = INTEGRATIONS
    const rules = [
      'security/internal-context',
      'compat/field-removed',
      'structure/depends-on-keys',
      'spec/fql-valid',
      'security/hardcoded-secret'
    ]
    const findings = Array.from({ length: 30 }, (_, index) =>
      finding(crm, {
        ruleId: rules[index % rules.length],
        severity: 'error',
        blocks: ['private-beta', 'public'],
        path: `${crm}/action${index}/index.ts`,
        line: 7,
        message: `Finding ${index}: ${'a partner-facing explanation of the defect and its one fix, '.repeat(5)}`
      })
    )
    const markdown = renderMarkdown(syntheticReview(findings), { repositoryUrl: REPOSITORY, headSha: SHA })
    expect(markdown.length).toBeLessThan(8000)
    for (const blocking of findings) expect(markdown).toContain(`action${findings.indexOf(blocking)}/index.ts:7`)
    expect(markdown.split('\n').filter((line) => line.startsWith('- ⛔'))).toHaveLength(rules.length)
  })
})
