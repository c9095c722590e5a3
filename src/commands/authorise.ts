// Who may issue which command: anyone may ask for a recheck, an explanation or help; waivers and
// approvals need a reviewer (write, maintain or admin on the repository, or a team or user named
// in config), and the pull request's author may not waive or approve their own change.
import type { GitHubClient } from '../github/github-client.js'
import type { Command } from './parse-commands.js'

export interface ReviewerSettings {
  /** `org/team-slug`, or `team-slug` in the repository owner's organisation. */
  teams: readonly string[]
  users: readonly string[]
  allowAuthorToReview: boolean
}

export interface AuthorisationScope {
  octokit: Pick<GitHubClient, 'rest'>
  owner: string
  repo: string
  /** Login of the pull request's author. */
  pullRequestAuthor: string
  reviewers: ReviewerSettings
}

export interface ReviewerStatus {
  reviewer: boolean
  /** How it was decided, for the reply and the log: "write permission", "team acme/reviewers", … */
  detail: string
}

interface Decision {
  allowed: boolean
  /** Why, in words for the reply when refused. */
  reason: string
}

/** Permissions that make a collaborator a reviewer (`role_name` also carries `maintain` and custom roles). */
const REVIEWER_PERMISSIONS = new Set(['admin', 'maintain', 'write'])

export type CommandRole = 'anyone' | 'reviewer'

export function requiredRole(command: Command): CommandRole {
  switch (command.kind) {
    case 'recheck':
    case 'explain':
    case 'help':
      return 'anyone'
    case 'waive':
    case 'unwaive':
    case 'approve':
    case 'revoke':
      return 'reviewer'
  }
}

export interface Authoriser {
  authorise(command: Command, login: string): Promise<Decision>
  reviewerStatus(login: string): Promise<ReviewerStatus>
  /** The decision once the person's reviewer status is known (no I/O): replays use it. */
  decide(command: Command, login: string, status: ReviewerStatus | undefined): Decision
}

/** An authoriser for one pull request; it asks GitHub about each person once. */
export function createAuthoriser(scope: AuthorisationScope): Authoriser {
  const cache = new Map<string, Promise<ReviewerStatus>>()
  const reviewerStatus = (login: string) => {
    const key = login.toLowerCase()
    let status = cache.get(key)
    if (!status) {
      status = lookUpReviewer(scope, login)
      cache.set(key, status)
    }
    return status
  }
  const authorRefusal = (command: Command, login: string): Decision | undefined => {
    const isAuthor = login.toLowerCase() === scope.pullRequestAuthor.toLowerCase()
    // Unwaive and revoke only make the review stricter, so an author who is a reviewer may use them.
    if (isAuthor && !scope.reviewers.allowAuthorToReview && (command.kind === 'waive' || command.kind === 'approve')) {
      return {
        allowed: false,
        reason: `@${login} opened this pull request, so they cannot ${command.kind} on it, even with write access; another reviewer must (or set \`reviewers.allowAuthorToReview: true\` in the config).`
      }
    }
    return undefined
  }
  const decide = (command: Command, login: string, status: ReviewerStatus | undefined): Decision => {
    if (requiredRole(command) === 'anyone') return { allowed: true, reason: 'anyone may use this command' }
    const refusal = authorRefusal(command, login)
    if (refusal) return refusal
    if (status?.reviewer) return { allowed: true, reason: `@${login} is a reviewer (${status.detail})` }
    return {
      allowed: false,
      reason: `Only reviewers may \`/${command.kind}\`: people with write, maintain or admin permission on the repository, or the teams and users named under \`reviewers\` in the config. @${login} is not one (${status?.detail ?? 'not checked'}).`
    }
  }
  return {
    reviewerStatus,
    decide,
    async authorise(command, login) {
      if (requiredRole(command) === 'anyone') return decide(command, login, undefined)
      const refusal = authorRefusal(command, login)
      if (refusal) return refusal
      return decide(command, login, await reviewerStatus(login))
    }
  }
}

async function lookUpReviewer(scope: AuthorisationScope, login: string): Promise<ReviewerStatus> {
  if (scope.reviewers.users.some((user) => user.toLowerCase() === login.toLowerCase())) return { reviewer: true, detail: 'named in reviewers.users' }
  const notes: string[] = []

  try {
    const { data } = await scope.octokit.rest.repos.getCollaboratorPermissionLevel({ owner: scope.owner, repo: scope.repo, username: login })
    const roleName = (data as { role_name?: string }).role_name
    if (REVIEWER_PERMISSIONS.has(data.permission) || (roleName !== undefined && REVIEWER_PERMISSIONS.has(roleName))) {
      return { reviewer: true, detail: `${roleName ?? data.permission} permission` }
    }
    notes.push(`${roleName ?? data.permission} permission`)
  } catch (error) {
    const status = statusOf(error)
    if (status === 404) notes.push('not a collaborator')
    else notes.push(`GitHub did not say which permission they have (${describeError(error)})`)
  }

  for (const team of scope.reviewers.teams) {
    const [org, slug] = team.includes('/') ? (team.split('/', 2) as [string, string]) : [scope.owner, team]
    try {
      const { data } = await scope.octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username: login })
      if (data.state === 'active') return { reviewer: true, detail: `member of team ${org}/${slug}` }
      notes.push(`membership of ${org}/${slug} is ${data.state}`)
    } catch (error) {
      const status = statusOf(error)
      if (status === 404) continue
      notes.push(
        status === 403
          ? `cannot read team ${org}/${slug} (the App needs the "members: read" permission)`
          : `could not check team ${org}/${slug} (${describeError(error)})`
      )
    }
  }
  if (scope.reviewers.teams.length > 0 && !notes.some((note) => note.includes('team') || note.includes('membership'))) {
    notes.push(`not in ${scope.reviewers.teams.join(', ')}`)
  }
  return { reviewer: false, detail: notes.join('; ') }
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : undefined
}

function describeError(error: unknown): string {
  const status = statusOf(error)
  const message = error instanceof Error ? error.message.split('\n')[0].slice(0, 120) : String(error).slice(0, 120)
  return status !== undefined ? `HTTP ${status}: ${message}` : message
}
