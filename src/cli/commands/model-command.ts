// `integration-review model`: prints the static model of integrations as JSON.
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { discoverIntegrations, findIntegration, type IntegrationLocation } from '../../discover/discover-integrations.js'
import { InputError } from '../../input-error.js'
import { extractIntegration } from '../../model/extract-integration.js'
import { toModelJson } from '../../model/model-json.js'
import { ParseCache } from '../../model/source-program.js'
import { openRevision } from '../open-revision.js'
import type { CliCommand } from '../cli-command.js'
import { COMMAND_INFO } from '../command-list.js'

export const modelCommand: CliCommand = {
  ...COMMAND_INFO.model,
  run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        integration: { type: 'string', multiple: true },
        base: { type: 'string' }
      }
    })
    if (positionals.length !== 1) throw new InputError(`expected one repository directory\nusage: ${this.usage}`)
    const repoDir = resolve(io.cwd, positionals[0])
    const source = openRevision(repoDir, values.base)
    let locations: IntegrationLocation[]
    if (values.integration && values.integration.length > 0) {
      locations = values.integration.map((path) => {
        const found = findIntegration(source, path)
        if (!found) throw new InputError(`no integration at ${path} in ${source.description}`)
        return found
      })
    } else {
      locations = discoverIntegrations(source)
    }
    const cache = new ParseCache()
    const integrations = locations.map((location, index) => {
      if (io.isTty && locations.length > 20 && index % 20 === 0) io.stderr(`modelling ${index + 1}/${locations.length} ${location.path}\n`)
      return toModelJson(extractIntegration(source, location, { cache }))
    })
    io.stdout(`${JSON.stringify({ integrations }, null, 2)}\n`)
    return 0
  }
}
