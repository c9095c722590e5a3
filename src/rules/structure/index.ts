// The structure rules, in the order the catalog lists them.
import type { Rule } from '../rule.js'
import { hasActions } from './has-actions.js'
import { actionTitle } from './action-title.js'
import { actionDescription } from './action-description.js'
import { performPresent } from './perform-present.js'
import { fieldLabelType } from './field-label-type.js'
import { fieldDescription } from './field-description.js'
import { settingDefaultType } from './setting-default-type.js'
import { choicesConsistent } from './choices-consistent.js'
import { dependsOnKeys } from './depends-on-keys.js'
import { dynamicHandler } from './dynamic-handler.js'
import { hiddenRequiredNeedsDefault } from './hidden-required-needs-default.js'
import { batchKeysValid } from './batch-keys-valid.js'
import { presetActionExists } from './preset-action-exists.js'
import { presetMappingFieldsExist } from './preset-mapping-fields-exist.js'
import { presetType } from './preset-type.js'
import { presetRequiredFieldsMapped } from './preset-required-fields-mapped.js'
import { refreshTokenScheme } from './refresh-token-scheme.js'
import { testAuthentication } from './test-authentication.js'
import { generatedTypesFresh } from './generated-types-fresh.js'
import { metadataFresh } from './metadata-fresh.js'
import { errorClasses } from './error-classes.js'
import { throwHttpErrorsUnchecked } from './throw-http-errors-unchecked.js'
import { performBatchFanout } from './perform-batch-fanout.js'
import { oneIntegrationPerPr } from './one-integration-per-pr.js'

export const STRUCTURE_RULES: Rule[] = [
  hasActions,
  actionTitle,
  actionDescription,
  performPresent,
  fieldLabelType,
  fieldDescription,
  settingDefaultType,
  choicesConsistent,
  dependsOnKeys,
  dynamicHandler,
  hiddenRequiredNeedsDefault,
  batchKeysValid,
  presetActionExists,
  presetMappingFieldsExist,
  presetType,
  presetRequiredFieldsMapped,
  refreshTokenScheme,
  testAuthentication,
  generatedTypesFresh,
  metadataFresh,
  errorClasses,
  throwHttpErrorsUnchecked,
  performBatchFanout,
  oneIntegrationPerPr
]
import { unresolvedDefinition } from './unresolved-definition.js'
STRUCTURE_RULES.unshift(unresolvedDefinition)
import { parseError } from './parse-error.js'
STRUCTURE_RULES.unshift(parseError)
