// Generated file. DO NOT MODIFY IT BY HAND.

export interface Settings {
  /**
   * Your Wavelet project API key, under Project settings → API keys.
   */
  apiKey: string
  /**
   * The data region of your Wavelet project.
   */
  region?: string
  /**
   * Secret used to sign the requests Wavelet sends back to Segment.
   */
  signingSecret?: string
}
