// The bundled CLI (dist/cli/, built by `npm run build`, which `npm ci` runs) carries its own review
// worker: a worker started from that file takes jobs and answers with their results.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { discoverIntegrations } from '../../src/discover/discover-integrations.js'
import { DEFAULT_MODEL_LIMITS } from '../../src/model/source-program.js'
import { MESSAGES_POSTED, SIGNAL_SLOTS, type WorkerInput, type WorkerMessage } from '../../src/review/job-thread-protocol.js'
import { ALL_RULES } from '../../src/rules/all-rules.js'
import { DirectoryFileSource } from '../../src/source/directory-file-source.js'

const ROOT = join(import.meta.dirname, '..', '..')
const WORKER = join(ROOT, 'dist', 'cli', 'integration-worker.js')
const MODEL_REPO = join(ROOT, 'test', 'fixtures', 'model-repo')

describe('the bundled CLI', () => {
  it('is built beside its worker', () => {
    expect(existsSync(join(ROOT, 'dist', 'cli', 'main.js'))).toBe(true)
    expect(existsSync(WORKER)).toBe(true)
  })

  it('has a worker that runs every job it takes and posts each result', async () => {
    const head = new DirectoryFileSource(MODEL_REPO)
    const jobs = discoverIntegrations(head).map((location) => ({ location }))
    const signals = new SharedArrayBuffer(SIGNAL_SLOTS * Int32Array.BYTES_PER_ELEMENT)
    const channel = new MessageChannel()
    const input: WorkerInput = {
      head: head.reopenable(),
      base: undefined,
      settings: {
        changedPaths: head.listFiles(),
        pullRequest: { body: undefined, authorIsPartner: true },
        limits: DEFAULT_MODEL_LIMITS,
        configuredStatuses: {},
        compareWithBase: false
      },
      ruleIds: ALL_RULES.map((rule) => rule.id),
      jobs,
      deadline: performance.timeOrigin + performance.now() + 60_000,
      timing: false,
      signals,
      port: channel.port2
    }
    const worker = new Worker(WORKER, { workerData: input, transferList: [channel.port2] })
    await new Promise((resolve) => worker.on('exit', resolve))
    const messages: WorkerMessage[] = []
    for (let received = receiveMessageOnPort(channel.port1); received; received = receiveMessageOnPort(channel.port1))
      messages.push(received.message as WorkerMessage)
    channel.port1.close()
    expect(messages.map((message) => message.kind)).toEqual(jobs.map(() => 'result'))
    expect(Atomics.load(new Int32Array(signals), MESSAGES_POSTED)).toBe(jobs.length)
    const findings = messages.flatMap((message) => (message.kind === 'result' ? message.result.findings : []))
    expect(findings.length).toBeGreaterThan(10)
  }, 60_000)
})
