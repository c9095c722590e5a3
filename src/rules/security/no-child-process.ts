// security/no-child-process: `child_process` (or a wrapper such as execa) in any form.
import { defineRule } from '../rule.js'
import { findModuleLoads } from './support/module-rule.js'

const CHILD_PROCESS_MODULES = ['child_process', 'execa', 'shelljs', 'cross-spawn', 'node-pty'] as const

export const noChildProcess = defineRule({
  id: 'security/no-child-process',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'No child processes',
  docs: {
    why: "Integrations run inside Segment's shared workers. Starting a process there can run arbitrary commands on Segment infrastructure; no destination needs it.",
    fix: 'Remove the import. Everything an integration does goes through the `request` client it receives.',
    bad: "import { exec } from 'node:child_process'",
    good: "await request('https://api.partner.com/v1/events', { method: 'POST', json: body })"
  },
  scope: 'integration',
  check(context) {
    return findModuleLoads(context, {
      modules: CHILD_PROCESS_MODULES,
      includeTests: true,
      reason:
        "It starts operating-system processes, which no integration needs and which can run commands on Segment's workers: remove it and send requests with the `request` client instead."
    })
  }
})
