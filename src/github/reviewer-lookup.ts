// Who counts as a reviewer, asked of GitHub: a user named in config, write, maintain or admin
// permission on the repository, or an active member of a team named in config. The policy of who
// may issue which command lives with the command language (src/pr-commands/authorise.ts).
import { authoriserFor, type Authoriser, type AuthorisationPolicy, type ReviewerStatus } from '../pr-commands/authorise.js'
import { statusOf, type GitHubClient } from './github-client.js'

export interface AuthorisationScope extends AuthorisationPolicy {
  octokit: Pick<GitHubClient, 'rest'>
  owner: string
  repo: string
}

/** Permissions that make a collaborator a reviewer (`role_name` also carries `maintain` and custom roles). */
const REVIEWER_PERMISSIONS = new Set(['admin', 'maintain', 'write'])

/** An authoriser for one pull request; it asks GitHub about each person once. */
export function createAuthoriser(scope: AuthorisationScope): Authoriser {
  return authoriserFor(scope, (login) => lookUpReviewer(scope, login))
}

async function lookUpReviewer(scope: AuthorisationScope, login: string): Promise<ReviewerStatus> {
  if (scope.reviewers.users.some((user) => user.toLowerCase() === login.toLowerCase()))
    return { reviewer: true, detail: 'named in reviewers.users' }
  const notes: string[] = []

  try {
    const { data } = await scope.octokit.rest.repos.getCollaboratorPermissionLevel({
      owner: scope.owner,
      repo: scope.repo,
      username: login
    })
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

function describeError(error: unknown): string {
  const status = statusOf(error)
  const message = error instanceof Error ? error.message.split('\n')[0].slice(0, 120) : String(error).slice(0, 120)
  return status !== undefined ? `HTTP ${status}: ${message}` : message
}
