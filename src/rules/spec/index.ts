// The spec rules, in the order the catalog lists them.
import type { Rule } from '../rule.js'
import fqlValid from './fql-valid.js'
import fqlPitfall from './fql-pitfall.js'
import messageType from './message-type.js'
import eventName from './event-name.js'
import mappingDirective from './mapping-directive.js'
import mappingPathCasing from './mapping-path-casing.js'
import presetsPresent from './presets-present.js'
import defaultSubscriptionPresent from './default-subscription-present.js'

export const SPEC_RULES: Rule[] = [
  fqlValid,
  fqlPitfall,
  messageType,
  eventName,
  mappingDirective,
  mappingPathCasing,
  presetsPresent,
  defaultSubscriptionPresent
]
