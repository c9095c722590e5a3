// The tests rules, in the order the catalog lists them.
import type { Rule } from '../rule.js'
import actionTestsPresent from './action-tests-present.js'
import httpMocked from './http-mocked.js'
import snapshotTest from './snapshot-test.js'

export const TESTS_RULES: Rule[] = [actionTestsPresent, httpMocked, snapshotTest]
