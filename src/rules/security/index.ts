// The security rules, in the order the catalog lists them.
import type { Rule } from '../rule.js'
import { hardcodedSecret } from './hardcoded-secret.js'
import { hardcodedSecretGeneric } from './hardcoded-secret-generic.js'
import { secretSettingNotPassword } from './secret-setting-not-password.js'
import { noDynamicCode } from './no-dynamic-code.js'
import { noChildProcess } from './no-child-process.js'
import { noFsAccess } from './no-fs-access.js'
import { noRawNetwork } from './no-raw-network.js'
import { bypassRequestClient } from './bypass-request-client.js'
import { noProcessEnv } from './no-process-env.js'
import { noProcessControl } from './no-process-control.js'
import { internalContext } from './internal-context.js'
import { tlsVerificationDisabled } from './tls-verification-disabled.js'
import { globalMutation } from './global-mutation.js'
import { sensitiveFile } from './sensitive-file.js'
import { dependencyChange } from './dependency-change.js'
import { insecureHttpUrl } from './insecure-http-url.js'
import { logSensitiveData } from './log-sensitive-data.js'
import { ssrfHostFromInput } from './ssrf-host-from-input.js'
import { unencodedPathSegment } from './unencoded-path-segment.js'
import { secretToForeignHost } from './secret-to-foreign-host.js'
import { nonLiteralRegexp } from './non-literal-regexp.js'
import { obfuscatedCode } from './obfuscated-code.js'

export const SECURITY_RULES: Rule[] = [
  hardcodedSecret,
  hardcodedSecretGeneric,
  secretSettingNotPassword,
  noDynamicCode,
  noChildProcess,
  noFsAccess,
  noRawNetwork,
  bypassRequestClient,
  noProcessEnv,
  noProcessControl,
  internalContext,
  tlsVerificationDisabled,
  insecureHttpUrl,
  logSensitiveData,
  ssrfHostFromInput,
  unencodedPathSegment,
  secretToForeignHost,
  nonLiteralRegexp,
  globalMutation,
  obfuscatedCode,
  sensitiveFile,
  dependencyChange
]
import { suppressionAdded } from './suppression-added.js'
SECURITY_RULES.push(suppressionAdded)
