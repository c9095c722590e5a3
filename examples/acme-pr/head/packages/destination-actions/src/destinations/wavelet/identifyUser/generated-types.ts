// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  userId: string
  email?: string
  traits?: {
    [k: string]: unknown
  }
}
