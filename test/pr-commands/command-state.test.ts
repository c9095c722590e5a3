import { describe, expect, it } from 'vitest'
import { objectContaining, stringContaining } from '../support/asymmetric-matchers.js'
import {
  applyCommand,
  CommandStateSchema,
  emptyCommandState,
  markCommentHandled,
  readCommandState,
  rebuildState,
  reconcileApprovals,
  releaseGates,
  waiversForReview,
  wasCommentHandled,
  type CommandContext,
  type GateReview,
  type ReleaseGates
} from '../../src/pr-commands/command-state.js'
import type { StateCommand } from '../../src/pr-commands/parse-commands.js'

const HEAD = 'a'.repeat(40)
const NEXT_HEAD = 'b'.repeat(40)
const ACME = 'packages/destination-actions/src/destinations/acme'

const clean: GateReview = { integrations: [{ path: ACME, slug: 'acme' }], findings: [] }
const betaBlocked: GateReview = {
  integrations: [{ path: ACME }],
  findings: [
    {
      ruleId: 'security/hardcoded-secret',
      path: `${ACME}/index.ts`,
      line: 12,
      message: 'The setting `apiKey` has a hard-coded default.',
      blocks: ['private-beta', 'public']
    }
  ]
}
const publicBlocked: GateReview = {
  integrations: [{ path: ACME }],
  findings: [
    {
      ruleId: 'docs/field-description',
      path: `${ACME}/send/index.ts`,
      line: 8,
      message: 'Field `email` has no description.',
      blocks: ['public']
    }
  ]
}

function context(gates: ReleaseGates | 'unknown', overrides: Partial<CommandContext> = {}): CommandContext {
  return { at: '2026-11-27T10:00:00Z', headSha: HEAD, commentId: 1, gates, ...overrides }
}

const waive = (reason = 'public client id', path?: string, line?: number): StateCommand => ({
  kind: 'waive',
  ruleId: 'security/hardcoded-secret',
  ...(path ? { path } : {}),
  ...(line ? { line } : {}),
  reason
})

describe('releaseGates', () => {
  it('holds both stages when nothing blocks', () => {
    expect(releaseGates(clean)).toEqual({ 'private-beta': { holds: true, blockers: [] }, public: { holds: true, blockers: [] } })
  })

  it('names what blocks each stage; a beta blocker also holds back public', () => {
    const gates = releaseGates(betaBlocked)
    expect(gates['private-beta'].holds).toBe(false)
    expect(gates['private-beta'].blockers[0]).toContain(
      '`security/hardcoded-secret` at `packages/destination-actions/src/destinations/acme/index.ts:12`'
    )
    expect(gates.public.holds).toBe(false)
    const publicOnly = releaseGates(publicBlocked)
    expect(publicOnly['private-beta'].holds).toBe(true)
    expect(publicOnly.public.holds).toBe(false)
  })

  it('does not hold while the review is incomplete or a rule failed: unknown is not "holds"', () => {
    const skipped = releaseGates({ ...clean, skipped: ['head: packages/x/big.ts is larger than limits.maxFileBytes'] })
    expect(skipped['private-beta']).toEqual({
      holds: false,
      blockers: ['the review was incomplete: head: packages/x/big.ts is larger than limits.maxFileBytes']
    })
    const failed = releaseGates({
      ...clean,
      ruleFailures: [{ ruleId: 'security/no-dynamic-code', message: 'Maximum call stack size exceeded' }]
    })
    expect(failed.public.holds).toBe(false)
    expect(failed.public.blockers[0]).toBe(
      'the rule `security/no-dynamic-code` failed to run (Maximum call stack size exceeded), so what it checks is unknown'
    )
  })

  it('does not hold when the review found no integration, and caps the blocker list', () => {
    expect(releaseGates({ integrations: [], findings: [] })['private-beta']).toEqual({
      holds: false,
      blockers: ['the review found no integration in this pull request']
    })
    const many = {
      integrations: [{ path: ACME }],
      findings: Array.from({ length: 15 }, (_, line) => ({ ...betaBlocked.findings[0], line: line + 1 }))
    }
    const blockers = releaseGates(many, 10)['private-beta'].blockers
    expect(blockers).toHaveLength(11)
    expect(blockers[10]).toContain('5 more')
  })
})

describe('applyCommand', () => {
  it('records a waiver with who, when, head SHA and comment, and replaces one with a new reason', () => {
    const first = applyCommand(emptyCommandState(), waive('public client id', `${ACME}/index.ts`, 12), 'reviewer', context('unknown'))
    expect(first.outcome.status).toBe('applied')
    expect(first.outcome.message).toContain(
      'Waived `security/hardcoded-secret` at `packages/destination-actions/src/destinations/acme/index.ts:12` by @reviewer'
    )
    expect(first.state.waivers).toEqual([
      {
        ruleId: 'security/hardcoded-secret',
        path: `${ACME}/index.ts`,
        line: 12,
        reason: 'public client id',
        by: 'reviewer',
        at: '2026-11-27T10:00:00Z',
        headSha: HEAD,
        commentId: 1
      }
    ])
    expect(CommandStateSchema.safeParse(first.state).success).toBe(true)

    const again = applyCommand(first.state, waive('public client id', `${ACME}/index.ts`, 12), 'other', context('unknown'))
    expect(again.outcome.status).toBe('unchanged')
    expect(again.state).toBe(first.state)

    const replaced = applyCommand(first.state, waive('sandbox key, rotated', `${ACME}/index.ts`, 12), 'other', context('unknown'))
    expect(replaced.outcome.status).toBe('applied')
    expect(replaced.outcome.message).toContain("replacing @reviewer's waiver")
    expect(replaced.state.waivers).toHaveLength(1)
    expect(replaced.state.waivers[0]).toMatchObject({ by: 'other', reason: 'sandbox key, rotated' })
  })

  it('keeps waivers of different scopes apart and removes them by rule, path or line', () => {
    let state = emptyCommandState()
    state = applyCommand(state, waive('a'), 'r', context('unknown')).state
    state = applyCommand(state, waive('b', 'src/a.ts'), 'r', context('unknown')).state
    state = applyCommand(state, waive('c', 'src/a.ts', 3), 'r', context('unknown')).state
    state = applyCommand(state, waive('d', 'src/b.ts', 3), 'r', context('unknown')).state
    expect(state.waivers).toHaveLength(4)

    const byLine = applyCommand(
      state,
      { kind: 'unwaive', ruleId: 'security/hardcoded-secret', path: 'src/a.ts', line: 3 },
      'r',
      context('unknown')
    )
    expect(byLine.state.waivers.map((waiver) => waiver.reason)).toEqual(['a', 'b', 'd'])
    const byPath = applyCommand(state, { kind: 'unwaive', ruleId: 'security/hardcoded-secret', path: 'src/a.ts' }, 'r', context('unknown'))
    expect(byPath.state.waivers.map((waiver) => waiver.reason)).toEqual(['a', 'd'])
    expect(byPath.outcome.message).toMatch(/Removed 2 waivers/)
    const all = applyCommand(state, { kind: 'unwaive', ruleId: 'security/hardcoded-secret' }, 'r', context('unknown'))
    expect(all.state.waivers).toEqual([])
  })

  it('refuses to remove a waiver that does not exist, listing the current ones', () => {
    const state = applyCommand(emptyCommandState(), waive('a'), 'r', context('unknown')).state
    const result = applyCommand(state, { kind: 'unwaive', ruleId: 'security/insecure-http' }, 'r', context('unknown'))
    expect(result.outcome.status).toBe('refused')
    expect(result.outcome.message).toBe(
      'No waiver of `security/insecure-http` (everywhere) to remove. Current waivers: `security/hardcoded-secret` (everywhere).'
    )
    expect(result.state).toBe(state)
  })

  it('approves only when the stage gate holds, and answers with what blocks otherwise', () => {
    const refused = applyCommand(
      emptyCommandState(),
      { kind: 'approve', stage: 'private-beta' },
      'reviewer',
      context(releaseGates(betaBlocked))
    )
    expect(refused.outcome.status).toBe('refused')
    expect(refused.outcome.label).toBeUndefined()
    expect(refused.outcome.message).toContain('Not approved for Private Beta')
    expect(refused.outcome.message).toContain('- `security/hardcoded-secret` at')
    expect(refused.state.approvals).toEqual([])

    const beta = applyCommand(
      emptyCommandState(),
      { kind: 'approve', stage: 'private-beta' },
      'reviewer',
      context(releaseGates(publicBlocked))
    )
    expect(beta.outcome).toMatchObject({ status: 'applied', label: { action: 'add', stage: 'private-beta' } })
    expect(beta.state.approvals).toEqual([
      { stage: 'private-beta', by: 'reviewer', at: '2026-11-27T10:00:00Z', headSha: HEAD, commentId: 1 }
    ])

    const publicRefused = applyCommand(beta.state, { kind: 'approve', stage: 'public' }, 'reviewer', context(releaseGates(publicBlocked)))
    expect(publicRefused.outcome.status).toBe('refused')
    expect(publicRefused.outcome.message).toContain('`docs/field-description`')
  })

  it('renews an approval at a new head and reports an identical one as unchanged', () => {
    const gates = releaseGates(clean)
    const first = applyCommand(emptyCommandState(), { kind: 'approve', stage: 'private-beta' }, 'reviewer', context(gates))
    const same = applyCommand(first.state, { kind: 'approve', stage: 'private-beta' }, 'reviewer', context(gates))
    expect(same.outcome.status).toBe('unchanged')
    const renewed = applyCommand(first.state, { kind: 'approve', stage: 'private-beta' }, 'lead', context(gates, { headSha: NEXT_HEAD }))
    expect(renewed.outcome.status).toBe('applied')
    expect(renewed.state.approvals).toHaveLength(1)
    expect(renewed.state.approvals[0]).toMatchObject({ by: 'lead', headSha: NEXT_HEAD })
  })

  it('revokes an approval and its label; revoking nothing is refused but still clears a stray label', () => {
    const approved = applyCommand(emptyCommandState(), { kind: 'approve', stage: 'public' }, 'reviewer', context(releaseGates(clean))).state
    const revoked = applyCommand(approved, { kind: 'revoke', stage: 'public' }, 'lead', context('unknown'))
    expect(revoked.outcome).toMatchObject({ status: 'applied', label: { action: 'remove', stage: 'public' } })
    expect(revoked.outcome.message).toBe('Public approval (by @reviewer) revoked by @lead.')
    expect(revoked.state.approvals).toEqual([])
    const nothing = applyCommand(revoked.state, { kind: 'revoke', stage: 'public' }, 'lead', context('unknown'))
    expect(nothing.outcome).toMatchObject({ status: 'refused', label: { action: 'remove', stage: 'public' } })
  })
})

describe('reconcileApprovals', () => {
  it('keeps approvals whose gate holds and withdraws the others with the reason', () => {
    let state = applyCommand(
      emptyCommandState(),
      { kind: 'approve', stage: 'private-beta' },
      'reviewer',
      context(releaseGates(clean))
    ).state
    state = applyCommand(state, { kind: 'approve', stage: 'public' }, 'reviewer', context(releaseGates(clean))).state

    const stillClean = reconcileApprovals(state, releaseGates(clean), NEXT_HEAD)
    expect(stillClean.removed).toEqual([])
    expect(stillClean.state).toBe(state)

    const afterPush = reconcileApprovals(state, releaseGates(publicBlocked), NEXT_HEAD)
    expect(afterPush.kept.map((approval) => approval.stage)).toEqual(['private-beta'])
    expect(afterPush.removed).toHaveLength(1)
    expect(afterPush.removed[0].approval.stage).toBe('public')
    expect(afterPush.removed[0].reason).toContain(
      'Public approval by @reviewer (at aaaaaaa) withdrawn: the gate no longer holds at bbbbbbb'
    )
    expect(afterPush.removed[0].reason).toContain('`docs/field-description`')
    expect(afterPush.state.approvals.map((approval) => approval.stage)).toEqual(['private-beta'])

    // Given the review itself and the configured label names, it names the label to remove.
    const fromReview = reconcileApprovals(state, betaBlocked, NEXT_HEAD, {
      releasePrivateBeta: 'launch: beta',
      releasePublic: 'launch: public'
    })
    expect(fromReview.removed.map((change) => change.label)).toEqual(['launch: beta', 'launch: public'])
    expect(fromReview.state.approvals).toEqual([])
  })
})

describe('readCommandState', () => {
  it('keeps valid entries, drops damaged ones by name, and carries handled comment ids', () => {
    const { state, problems } = readCommandState({
      version: 1,
      waivers: [
        { ruleId: 'security/hardcoded-secret', reason: 'ok', by: 'r', at: '2026-11-27T10:00:00Z', headSha: HEAD },
        { ruleId: 'security/hardcoded-secret', by: 'r' }
      ],
      approvals: 'nope',
      handledComments: [5, 6]
    })
    expect(state.waivers).toHaveLength(1)
    expect(state.approvals).toEqual([])
    expect(state.handledComments).toEqual([5, 6])
    expect(problems).toEqual([stringContaining('state.waivers[1] dropped'), 'state.approvals is not a list; ignored'])
    expect(readCommandState(null).problems).toEqual(['the state block is not an object'])
  })

  it('remembers a bounded number of handled comments', () => {
    let state = emptyCommandState()
    for (let id = 1; id <= 250; id++) state = markCommentHandled(state, id)
    expect(state.handledComments).toHaveLength(200)
    expect(wasCommentHandled(state, 250)).toBe(true)
    expect(wasCommentHandled(state, 50)).toBe(false)
  })
})

describe('rebuildState', () => {
  const comment = (id: number, login: string, body: string, extra: { type?: string; at?: string; updated?: string } = {}) => ({
    id,
    body,
    user: { login, type: extra.type ?? 'User' },
    created_at: extra.at ?? `2026-11-27T09:${String(id).padStart(2, '0')}:00Z`,
    updated_at: extra.updated ?? extra.at ?? `2026-11-27T09:${String(id).padStart(2, '0')}:00Z`
  })
  const reviewers = new Set(['reviewer', 'lead'])
  const isAuthorised = (_command: StateCommand, login: string) => reviewers.has(login)

  it('replays authorised state commands in order and skips bots, partners and quoted commands', () => {
    const comments = [
      comment(4, 'lead', '/unwaive security/insecure-http'),
      comment(
        1,
        'reviewer',
        'Looked at it.\n/waive security/hardcoded-secret src/a.ts:3 -- public client id\n/waive security/insecure-http -- sandbox'
      ),
      comment(2, 'partner', '/waive docs/field-description -- I do not want to'),
      comment(3, 'integration-review[bot]', '/approve beta', { type: 'Bot' }),
      comment(5, 'lead', '> /waive docs/field-description -- quoted\n/approve beta'),
      comment(6, 'reviewer', '/recheck\n/explain security/hardcoded-secret')
    ]
    const result = rebuildState(comments, isAuthorised, { headSha: NEXT_HEAD })
    expect(result.state.waivers).toEqual([
      {
        ruleId: 'security/hardcoded-secret',
        path: 'src/a.ts',
        line: 3,
        reason: 'public client id',
        by: 'reviewer',
        at: '2026-11-27T09:01:00Z',
        headSha: NEXT_HEAD,
        commentId: 1,
        replayed: true
      }
    ])
    expect(result.state.approvals).toEqual([
      { stage: 'private-beta', by: 'lead', at: '2026-11-27T09:05:00Z', headSha: NEXT_HEAD, commentId: 5, replayed: true }
    ])
    expect(result.unauthorised).toEqual([
      { commentId: 2, by: 'partner', command: objectContaining({ kind: 'waive', ruleId: 'docs/field-description' }) }
    ])
    expect(result.replayed.map((entry) => [entry.commentId, entry.command.kind, entry.status])).toEqual([
      [1, 'waive', 'applied'],
      [1, 'waive', 'applied'],
      [4, 'unwaive', 'applied'],
      [5, 'approve', 'applied']
    ])
    expect(result.state.handledComments).toEqual([1, 2, 4, 5])
    expect(CommandStateSchema.safeParse(result.state).success).toBe(true)
  })

  it('flags comments edited after they were posted', () => {
    const result = rebuildState(
      [comment(1, 'reviewer', '/waive security/hardcoded-secret -- ok', { at: '2026-11-27T09:00:00Z', updated: '2026-11-27T09:30:00Z' })],
      isAuthorised,
      {
        headSha: HEAD
      }
    )
    expect(result.replayed[0].edited).toBe(true)
  })

  it('gives the reviewer-facing waivers in the engine shape', () => {
    const { state } = rebuildState([comment(1, 'reviewer', '/waive security/hardcoded-secret src/a.ts:3 -- ok')], isAuthorised, {
      headSha: HEAD
    })
    expect(waiversForReview(state)).toEqual([
      { ruleId: 'security/hardcoded-secret', path: 'src/a.ts', line: 3, reason: 'ok', by: 'reviewer', at: '2026-11-27T09:01:00Z' }
    ])
  })
})
