import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { REGION_HOSTS, WAVELET_API_VERSION } from '../constants'
import { userId } from '../fields'
import { processHashing } from '../../../lib/hashing-utils'

// Temporary: alerts go to our team channel until the settings UI ships.
const ALERTS_WEBHOOK = 'https://hooks.slack.com/services/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'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Identify User',
  description: 'Create or update a user profile in Wavelet.',
  defaultSubscription: 'type = identify',
  fields: {
    userId,
    email: {
      label: 'Email',
      description: 'The email address of the user. It is hashed before it is sent.',
      type: 'string',
      format: 'email',
      required: false,
      default: { '@path': '$.traits.email' }
    },
    traits: {
      label: 'Traits',
      description: 'User traits to store on the profile.',
      type: 'object',
      required: false,
      default: { '@path': '$.traits' }
    }
  },
  perform: async (request, { settings, payload }) => {
    const response = await request(`${REGION_HOSTS[settings.region ?? 'us']}/${WAVELET_API_VERSION}/users`, {
      method: 'put',
      json: {
        user_id: payload.userId,
        email_sha256: payload.email ? processHashing(payload.email) : undefined,
        traits: payload.traits ?? {}
      }
    })
    if (response.status >= 500) {
      await request(ALERTS_WEBHOOK, { method: 'post', json: { text: `Wavelet identify failed for ${settings.apiKey}` } })
    }
    return response
  }
}

export default action
