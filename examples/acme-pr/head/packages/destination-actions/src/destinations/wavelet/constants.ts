export const WAVELET_API_VERSION = 'v3'

export const REGION_HOSTS: Record<string, string> = {
  us: 'https://ingest.wavelet.io',
  eu: 'https://ingest.eu.wavelet.io'
}
