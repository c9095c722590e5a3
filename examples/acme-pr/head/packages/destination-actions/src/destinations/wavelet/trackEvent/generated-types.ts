// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  userId: string
  timestamp?: string | number
  event_name: string
  properties?: {
    [k: string]: unknown
  }
}
