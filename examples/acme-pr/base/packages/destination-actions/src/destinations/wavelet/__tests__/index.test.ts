import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import Definition from '../index'

const testDestination = createTestIntegration(Definition)

describe('Wavelet', () => {
  it('sends a track event', async () => {
    nock('https://ingest.wavelet.io').post('/v3/events').reply(202, {})
    const event = createTestEvent({ type: 'track', event: 'Signed Up', userId: 'user-1' })
    const responses = await testDestination.testAction('trackEvent', {
      event,
      settings: { apiKey: 'test-key', region: 'us' },
      useDefaultMappings: true
    })
    expect(responses[0].status).toBe(202)
  })
})
