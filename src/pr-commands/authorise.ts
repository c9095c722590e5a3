// Who may issue which command: anyone may ask for a recheck, an explanation or help; waivers and
// approvals need a reviewer (write, maintain or admin on the repository, or a team or user named
// in config), and the pull request's author may not waive or approve their own change. The
// policy only: who counts as a reviewer is asked of a lookup the GitHub adapter provides
// (src/github/reviewer-lookup.ts), so the command language imports nothing of GitHub's.
import type { Command } from './parse-commands.js'

export interface ReviewerSettings {
  /** `org/team-slug`, or `team-slug` in the repository owner's organisation. */
  teams: readonly string[]
  users: readonly string[]
  allowAuthorToReview: boolean
}

export interface AuthorisationPolicy {
  /** Login of the pull request's author. */
  pullRequestAuthor: string
  reviewers: ReviewerSettings
}

/** Whether a person is a reviewer, asked of whoever knows (GitHub, for the App and the Action). */
type ReviewerLookup = (login: string) => Promise<ReviewerStatus>

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

/** An authoriser for one pull request; it asks the lookup about each person once. */
export function authoriserFor(scope: AuthorisationPolicy, lookUpReviewer: ReviewerLookup): Authoriser {
  const cache = new Map<string, Promise<ReviewerStatus>>()
  const reviewerStatus = (login: string) => {
    const key = login.toLowerCase()
    let status = cache.get(key)
    if (!status) {
      status = lookUpReviewer(login)
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
