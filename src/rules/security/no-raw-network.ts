// security/no-raw-network: Node's network modules (http, https, net, tls, dgram, http2, dns)
// or undici/ws instead of the framework's `request` client. What opens no connection (an
// `https.Agent` handed to the request client, IP checks, status tables) is not reported, even
// through a default or namespace import. Browser destinations are exempt.
import { defineRule } from '../rule.js'
import { findModuleLoads } from './support/module-rule.js'

const RAW_NETWORK_MODULES = ['http', 'https', 'net', 'tls', 'dgram', 'http2', 'dns', 'undici', 'ws'] as const

export const noRawNetwork = defineRule({
  id: 'security/no-raw-network',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: "Network access goes through the framework's request client",
  docs: {
    why: "Raw sockets and HTTP modules bypass the `request` client: no timeouts, no retries, no egress controls or instrumentation, and they can reach Segment's internal network.",
    fix: 'Use the `request` function the framework passes to `perform`, `performBatch` and hooks.',
    bad: "import https from 'node:https'\nhttps.request({ host: 'api.partner.com', path: '/v1/events', method: 'POST' })",
    good: "await request('https://api.partner.com/v1/events', { method: 'POST', json: event })"
  },
  scope: 'integration',
  check(context) {
    if (context.integration.kind === 'browser-destination') return []
    return findModuleLoads(context, {
      modules: RAW_NETWORK_MODULES,
      includeTests: false,
      // IP-address checks, status tables and connection-pool agents open no connection (SSRF guards
      // use the first; `extendRequest` may return an `https.Agent` for the request client to use).
      harmlessMembers: {
        net: ['isIP', 'isIPv4', 'isIPv6', 'BlockList', 'SocketAddress'],
        http: ['STATUS_CODES', 'METHODS', 'Agent'],
        https: ['Agent']
      },
      reason:
        "It opens network connections outside the framework's `request` client (no timeouts, retries or egress controls): send requests with the `request` function passed to `perform` instead."
    })
  }
})
