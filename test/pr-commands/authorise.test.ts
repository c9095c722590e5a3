import { Octokit } from '@octokit/rest'
import nock from 'nock'
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest'
import { requiredRole, type ReviewerSettings } from '../../src/pr-commands/authorise.js'
import { createAuthoriser } from '../../src/github/reviewer-lookup.js'
import type { Command } from '../../src/pr-commands/parse-commands.js'

const API = 'https://api.github.com'
const waive: Command = { kind: 'waive', ruleId: 'security/hardcoded-secret', reason: 'public id' }
const approve: Command = { kind: 'approve', stage: 'private-beta' }
const unwaive: Command = { kind: 'unwaive', ruleId: 'security/hardcoded-secret' }

function authoriser(reviewers: Partial<ReviewerSettings> = {}) {
  return createAuthoriser({
    octokit: new Octokit({ auth: 'test-token', log: { debug() {}, info() {}, warn() {}, error() {} } }),
    owner: 'segmentio',
    repo: 'action-destinations',
    pullRequestAuthor: 'acme-dev',
    reviewers: { teams: [], users: [], allowAuthorToReview: false, ...reviewers }
  })
}

function permission(login: string, body: { permission: string; role_name?: string } | 404) {
  const scope = nock(API).get(`/repos/segmentio/action-destinations/collaborators/${login}/permission`)
  return body === 404
    ? scope.reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' })
    : scope.reply(200, { ...body, user: { login, id: 1, type: 'User' } })
}

beforeAll(() => nock.disableNetConnect())
afterAll(() => nock.enableNetConnect())
afterEach(() => {
  const pending = nock.pendingMocks()
  nock.cleanAll()
  expect(pending).toEqual([])
})

describe('requiredRole', () => {
  it('lets anyone recheck, explain and ask for help, and needs a reviewer for state commands', () => {
    expect(requiredRole({ kind: 'recheck' })).toBe('anyone')
    expect(requiredRole({ kind: 'explain', ruleId: 'security/hardcoded-secret' })).toBe('anyone')
    expect(requiredRole({ kind: 'help' })).toBe('anyone')
    for (const command of [waive, unwaive, approve, { kind: 'revoke', stage: 'public' } as Command])
      expect(requiredRole(command)).toBe('reviewer')
  })
})

describe('createAuthoriser', () => {
  it('allows anyone to recheck without asking GitHub', async () => {
    expect(await authoriser().authorise({ kind: 'recheck' }, 'stranger')).toMatchObject({ allowed: true })
  })

  it.each([
    [{ permission: 'admin', role_name: 'admin' }, 'admin permission'],
    [{ permission: 'write', role_name: 'maintain' }, 'maintain permission'],
    [{ permission: 'write', role_name: 'write' }, 'write permission'],
    [{ permission: 'write' }, 'write permission']
  ])('allows a collaborator with %j', async (body, detail) => {
    permission('segment-reviewer', body)
    const decision = await authoriser().authorise(waive, 'segment-reviewer')
    expect(decision).toEqual({ allowed: true, reason: `@segment-reviewer is a reviewer (${detail})` })
  })

  it.each([
    [{ permission: 'read', role_name: 'triage' }, 'triage permission'],
    [{ permission: 'read', role_name: 'read' }, 'read permission'],
    [{ permission: 'none' }, 'none permission'],
    [404, 'not a collaborator']
  ] as const)('refuses a user with %j', async (body, detail) => {
    permission('drive-by', body)
    const decision = await authoriser().authorise(approve, 'drive-by')
    expect(decision.allowed).toBe(false)
    expect(decision.reason).toContain('Only reviewers may `/approve`')
    expect(decision.reason).toContain(`@drive-by is not one (${detail})`)
  })

  it('refuses the pull request author to waive or approve even with write access, without asking GitHub', async () => {
    const decision = await authoriser().authorise(waive, 'Acme-Dev')
    expect(decision.allowed).toBe(false)
    expect(decision.reason).toContain('@Acme-Dev opened this pull request, so they cannot waive on it, even with write access')
    expect((await authoriser().authorise(approve, 'acme-dev')).reason).toContain('cannot approve')
  })

  it('lets an author who is a reviewer unwaive (it only makes the review stricter), and waive when config allows', async () => {
    permission('acme-dev', { permission: 'write', role_name: 'write' })
    expect(await authoriser().authorise(unwaive, 'acme-dev')).toMatchObject({ allowed: true })
    permission('acme-dev', { permission: 'write', role_name: 'write' })
    expect(await authoriser({ allowAuthorToReview: true }).authorise(waive, 'acme-dev')).toMatchObject({ allowed: true })
  })

  it('allows users named in config without asking GitHub, case-insensitively', async () => {
    expect(await authoriser({ users: ['Partner-Success'] }).authorise(approve, 'partner-success')).toEqual({
      allowed: true,
      reason: '@partner-success is a reviewer (named in reviewers.users)'
    })
  })

  it('allows active members of a configured team, in the owner org or another', async () => {
    permission('team-reviewer', { permission: 'read', role_name: 'read' })
    nock(API).get('/orgs/segmentio/teams/integrations-review/memberships/team-reviewer').reply(404, { message: 'Not Found' })
    nock(API)
      .get('/orgs/twilio/teams/security/memberships/team-reviewer')
      .reply(200, { url: `${API}/teams/1/memberships/team-reviewer`, role: 'member', state: 'active' })
    const decision = await authoriser({ teams: ['integrations-review', 'twilio/security'] }).authorise(waive, 'team-reviewer')
    expect(decision).toEqual({ allowed: true, reason: '@team-reviewer is a reviewer (member of team twilio/security)' })
  })

  it('refuses pending team members and says when the App cannot read teams', async () => {
    permission('invitee', { permission: 'read', role_name: 'read' })
    nock(API).get('/orgs/segmentio/teams/integrations-review/memberships/invitee').reply(200, { role: 'member', state: 'pending' })
    nock(API).get('/orgs/segmentio/teams/security/memberships/invitee').reply(403, { message: 'Resource not accessible by integration' })
    const decision = await authoriser({ teams: ['integrations-review', 'security'] }).authorise(waive, 'invitee')
    expect(decision.allowed).toBe(false)
    expect(decision.reason).toContain('membership of segmentio/integrations-review is pending')
    expect(decision.reason).toContain('cannot read team segmentio/security (the App needs the "members: read" permission)')
  })

  it('refuses, with the reason, when GitHub fails to answer the permission question', async () => {
    nock(API).get('/repos/segmentio/action-destinations/collaborators/someone/permission').reply(502, { message: 'Bad Gateway' })
    const decision = await authoriser().authorise(waive, 'someone')
    expect(decision.allowed).toBe(false)
    expect(decision.reason).toContain('GitHub did not say which permission they have (HTTP 502')
  })

  it('asks GitHub once per person', async () => {
    permission('segment-reviewer', { permission: 'write', role_name: 'write' })
    const check = authoriser()
    await check.authorise(waive, 'segment-reviewer')
    await check.authorise(approve, 'Segment-Reviewer')
    expect((await check.reviewerStatus('segment-reviewer')).reviewer).toBe(true)
  })
})
