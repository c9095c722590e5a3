// A worker thread that runs the CPU-bound part of a review (the engine and the rendering), so the
// process that loaded the files keeps answering webhooks and renewing its queue locks meanwhile.
import { parentPort } from 'node:worker_threads'
import { reviewForPublication } from '../pull-request/review-pipeline.js'
import { errorMessage } from '../github/github-client.js'
import { pipelineInputFromMessage, type ReviewThreadRequest, type ReviewThreadResponse } from './review-thread-messages.js'

if (!parentPort) throw new Error('review-thread must run as a worker thread')
const port = parentPort

port.on('message', (request: ReviewThreadRequest) => {
  let response: ReviewThreadResponse
  try {
    response = { id: request.id, ok: true, publication: reviewForPublication(pipelineInputFromMessage(request.input)) }
  } catch (error) {
    response = { id: request.id, ok: false, message: errorMessage(error), stack: error instanceof Error ? error.stack : undefined }
  }
  port.postMessage(response)
})
// Loading the engine (TypeScript, ts-morph, the rules) is the slow part of a thread's start.
port.postMessage({ ready: true })
