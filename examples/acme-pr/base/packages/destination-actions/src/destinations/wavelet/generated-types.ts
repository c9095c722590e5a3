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
}
