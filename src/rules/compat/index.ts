// The compat rules, in the order the catalog lists them. Each compares the integration's
// metadata on the base revision with head; new integrations are skipped.
import type { Rule } from '../rule.js'
import { newRequiredField } from './new-required-field.js'
import { fieldBecameRequired } from './field-became-required.js'
import { actionRemoved } from './action-removed.js'
import { fieldRemoved } from './field-removed.js'
import { settingRemoved } from './setting-removed.js'
import { fieldTypeChanged } from './field-type-changed.js'
import { settingWeakened } from './setting-weakened.js'
import { choicesNarrowed } from './choices-narrowed.js'
import { validationTightened } from './validation-tightened.js'
import { identityChanged } from './identity-changed.js'
import { batchKeysChanged } from './batch-keys-changed.js'
import { defaultChanged } from './default-changed.js'
import { destinationRemoved } from './destination-removed.js'

export const COMPAT_RULES: Rule[] = [
  newRequiredField,
  fieldBecameRequired,
  destinationRemoved,
  actionRemoved,
  fieldRemoved,
  settingRemoved,
  fieldTypeChanged,
  settingWeakened,
  choicesNarrowed,
  validationTightened,
  identityChanged,
  batchKeysChanged,
  defaultChanged
]
