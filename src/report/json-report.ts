// The JSON report: the Review itself, checked against its schema so the contract cannot drift.
import { ReviewSchema, type Review } from '../review/review-schema.js'

export function renderJson(review: Review): string {
  return `${JSON.stringify(ReviewSchema.parse(review), null, 2)}\n`
}
