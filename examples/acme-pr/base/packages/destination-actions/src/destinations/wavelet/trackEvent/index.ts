import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { REGION_HOSTS, WAVELET_API_VERSION } from '../constants'
import { timestamp, userId } from '../fields'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Track Event',
  description: 'Send a product event to Wavelet.',
  defaultSubscription: 'type = "track"',
  fields: {
    userId,
    timestamp,
    event_name: {
      label: 'Event Name',
      description: 'The name of the event.',
      type: 'string',
      required: true,
      default: { '@path': '$.event' }
    },
    properties: {
      label: 'Properties',
      description: 'Properties of the event.',
      type: 'object',
      required: false,
      default: { '@path': '$.properties' }
    }
  },
  perform: (request, { settings, payload }) => {
    return request(`${REGION_HOSTS[settings.region ?? 'us']}/${WAVELET_API_VERSION}/events`, {
      method: 'post',
      json: {
        user_id: payload.userId,
        event: payload.event_name,
        time: payload.timestamp,
        properties: payload.properties ?? {}
      }
    })
  }
}

export default action
