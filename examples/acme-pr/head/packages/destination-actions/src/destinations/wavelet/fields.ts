import type { InputField } from '@segment/actions-core'

export const userId: InputField = {
  label: 'User ID',
  description: 'The identifier of the user in your system.',
  type: 'string',
  required: true,
  default: { '@path': '$.userId' }
}

export const timestamp: InputField = {
  label: 'Timestamp',
  description: 'When the event happened, in ISO 8601.',
  type: 'datetime',
  required: false,
  default: { '@path': '$.timestamp' }
}
