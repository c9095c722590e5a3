import type { DestinationDefinition } from '@segment/actions-core'
import { defaultValues } from '@segment/actions-core'
import type { Settings } from './generated-types'
import { REGION_HOSTS, WAVELET_API_VERSION } from './constants'
import trackEvent from './trackEvent'
import identifyUser from './identifyUser'

const destination: DestinationDefinition<Settings> = {
  name: 'Wavelet (Actions)',
  slug: 'actions-wavelet',
  mode: 'cloud',
  description: 'Send product events from Segment to Wavelet analytics.',
  authentication: {
    scheme: 'custom',
    fields: {
      apiKey: {
        label: 'API Key',
        description: 'Your Wavelet project API key, under Project settings → API keys.',
        type: 'password',
        required: true
      },
      region: {
        label: 'Region',
        description: 'The data region of your Wavelet project.',
        type: 'string',
        required: false,
        choices: [
          { label: 'United States', value: 'us' },
          { label: 'Europe', value: 'eu' }
        ],
        default: 'us'
      },
      signingSecret: {
        label: 'Signing Secret',
        description: 'Secret used to sign the requests Wavelet sends back to Segment.',
        type: 'string',
        required: false
      }
    },
    testAuthentication: (request, { settings }) => {
      return request(`${REGION_HOSTS[settings.region ?? 'us']}/${WAVELET_API_VERSION}/auth/check`)
    }
  },
  extendRequest({ settings }) {
    return { headers: { Authorization: `Bearer ${settings.apiKey}` } }
  },
  presets: [
    {
      name: 'Track Event',
      subscribe: 'type = "track"',
      partnerAction: 'trackEvent',
      mapping: defaultValues(trackEvent.fields),
      type: 'automatic'
    }
  ],
  actions: {
    trackEvent,
    identifyUser
  }
}

export default destination
