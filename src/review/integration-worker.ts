// Entry of a review worker thread (`job-threads.ts` starts it). The engine loads lazily, so a
// thread that cannot load it says so instead of dying unheard by a thread that waits for it.
import { workerData } from 'node:worker_threads'
import { MESSAGES_POSTED, type WorkerInput, type WorkerMessage } from './job-thread-protocol.js'

const input = workerData as WorkerInput
try {
  const { serveIntegrationJobs } = await import('./serve-integration-jobs.js')
  serveIntegrationJobs(input)
} catch (error) {
  const message: WorkerMessage = { kind: 'unavailable', message: error instanceof Error ? error.message : String(error) }
  input.port.postMessage(message)
  const signals = new Int32Array(input.signals)
  Atomics.add(signals, MESSAGES_POSTED, 1)
  Atomics.notify(signals, MESSAGES_POSTED)
} finally {
  input.port.close()
}
