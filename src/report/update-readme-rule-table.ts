// `npm run readme:rules`: rewrites README.md's rule table from the rule metadata.
import { readFileSync, writeFileSync } from 'node:fs'
import { replaceRuleTable } from './rule-table.js'

const readmePath = new URL('../../README.md', import.meta.url)
const before = readFileSync(readmePath, 'utf8')
const after = replaceRuleTable(before)
if (after !== before) writeFileSync(readmePath, after)
process.stdout.write(after === before ? 'README.md rule table already up to date\n' : 'README.md rule table updated\n')
