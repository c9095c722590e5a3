// The Git Trees and Blobs APIs as a GitTreeReader, for the GitHub-tree loading in src/source.
import { z } from 'zod'
import type { GitTreeReader } from '../source/git-tree-reader.js'
import type { GitHubClient, RepositoryRef } from './github-client.js'

const TreeSchema = z.object({
  truncated: z.boolean().default(false),
  tree: z.array(z.object({ path: z.string(), type: z.string(), sha: z.string(), size: z.number().optional() }))
})

export function octokitTreeReader(octokit: GitHubClient, repository: RepositoryRef): GitTreeReader {
  return {
    async readTree(treeSha, recursive) {
      const { data } = await octokit.rest.git.getTree({ ...repository, tree_sha: treeSha, ...(recursive ? { recursive: '1' } : {}) })
      const tree = TreeSchema.parse(data)
      return { items: tree.tree, truncated: tree.truncated }
    },
    async readBlob(blobSha) {
      const { data } = await octokit.rest.git.getBlob({ ...repository, file_sha: blobSha })
      return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8')
    }
  }
}
