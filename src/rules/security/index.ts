// The security rules, in the order the catalog lists them.
import type { Rule } from '../rule.js'
import { hardcodedSecret } from './hardcoded-secret.js'
import { hardcodedSecretGeneric } from './hardcoded-secret-generic.js'
import { secretSettingNotPassword } from './secret-setting-not-password.js'

export const SECURITY_RULES: Rule[] = [hardcodedSecret, hardcodedSecretGeneric, secretSettingNotPassword]
import { suppressionAdded } from './suppression-added.js'; SECURITY_RULES.push(suppressionAdded)
