// The sources rules, in the order the catalog lists them.
import type { Rule } from '../rule.js'
import { identity } from './identity.js'
import { eventName } from './event-name.js'
import { propertyNames } from './property-names.js'
import { integrationContext } from './integration-context.js'
import { webhookAuthenticated } from './webhook-authenticated.js'
import { settingsAtModuleScope } from './settings-at-module-scope.js'
import { httpApiRegion } from './http-api-region.js'
import { httpApiBatchLimits } from './http-api-batch-limits.js'
import { functionsEndpoint } from './functions-endpoint.js'
import { eventRemoved } from './event-removed.js'
import { propertyTypeChanged } from './property-type-changed.js'

export const SOURCES_RULES: Rule[] = [
  identity,
  eventName,
  propertyNames,
  integrationContext,
  webhookAuthenticated,
  settingsAtModuleScope,
  httpApiRegion,
  httpApiBatchLimits,
  functionsEndpoint,
  eventRemoved,
  propertyTypeChanged
]
