// The App's Prometheus metrics (prom-client), one registry per process: the web process and each
// worker expose what they did themselves; the queue depth is read from the queue at scrape time.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export type QueueDepthReader = () => Promise<{ waiting: number; running: number; delayed?: number }>

export class ReviewMetrics {
  readonly registry = new Registry()
  readonly reviews: Counter<'outcome'>
  readonly reviewSeconds: Histogram<'outcome'>
  readonly webhookToPublishedSeconds: Histogram
  readonly githubErrors: Counter<'status'>
  readonly webhooks: Counter<'event'>
  private depthReader: QueueDepthReader | undefined

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'integration_review_' })
    this.reviews = new Counter({
      name: 'integration_review_reviews_total',
      help: 'Review jobs finished, by outcome.',
      labelNames: ['outcome'],
      registers: [this.registry]
    })
    this.reviewSeconds = new Histogram({
      name: 'integration_review_review_duration_seconds',
      help: 'Time one review job ran, from start to outcome.',
      labelNames: ['outcome'],
      buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 40, 80, 160],
      registers: [this.registry]
    })
    this.webhookToPublishedSeconds = new Histogram({
      name: 'integration_review_webhook_to_published_seconds',
      help: 'Time from the webhook being received to its review being published on GitHub.',
      buckets: [0.5, 1, 2, 5, 10, 20, 40, 80, 160, 320, 640],
      registers: [this.registry]
    })
    this.githubErrors = new Counter({
      name: 'integration_review_github_api_errors_total',
      help: 'GitHub API requests that failed, by HTTP status ("network" when none came back).',
      labelNames: ['status'],
      registers: [this.registry]
    })
    this.webhooks = new Counter({
      name: 'integration_review_webhooks_total',
      help: 'Webhook deliveries received, by event.',
      labelNames: ['event'],
      registers: [this.registry]
    })
    const queueJobs: Gauge = new Gauge({
      name: 'integration_review_queue_jobs',
      help: 'Review jobs in the queue, by state (read from the queue when scraped).',
      labelNames: ['state'],
      registers: [this.registry],
      collect: async () => {
        if (!this.depthReader) return
        const depth = await this.depthReader()
        queueJobs.set({ state: 'waiting' }, depth.waiting)
        queueJobs.set({ state: 'running' }, depth.running)
        if (depth.delayed !== undefined) queueJobs.set({ state: 'delayed' }, depth.delayed)
      }
    })
  }

  /** The queue whose depth the gauge reports. */
  readQueueDepthFrom(reader: QueueDepthReader): void {
    this.depthReader = reader
  }

  /** Counts a failed GitHub request by status. */
  countGitHubError(status: number | undefined): void {
    this.githubErrors.inc({ status: status === undefined ? 'network' : String(status) })
  }
}
