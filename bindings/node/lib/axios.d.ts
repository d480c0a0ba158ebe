import type { SignerOptions, Signer } from '../index'

/** Options of `aws4Interceptor`. */
export interface Aws4InterceptorOptions extends Partial<SignerOptions> {
  /** Service to sign for, e.g. `lambda`, `execute-api`. */
  service?: string
  /** Region (default: from the host name, then AWS_REGION). */
  region?: string
  /** Use this signer instead of building one. */
  signer?: Signer
  /** Presign into the URL instead of an Authorization header. */
  signQuery?: boolean
  /** Lifetime of presigned URLs, seconds (default 3600). */
  expiresIn?: number  /** Add a signed random `X-Request-Nonce` header (128-bit hex) so identical calls in the same second are not refused as replays. */
  nonce?: boolean
}

/** Minimal shape of an axios request config (axios is not a dependency). */
export interface AxiosLikeConfig {
  url?: string
  baseURL?: string
  method?: string
  params?: unknown
  data?: unknown
  headers?: any
  [key: string]: any
}

/** aws4-axios 3.x's `options`. */
export interface InterceptorOptions {
  service?: string
  region?: string
  signQuery?: boolean
  addContentSha?: boolean
  assumeRoleArn?: string
  assumedRoleExpirationMarginSec?: number
  assumeRoleSessionName?: string
}

/** aws4-axios 3.x's credentials. */
export interface Credentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** aws4-axios 3.x's credentials provider. */
export interface CredentialsProvider {
  getCredentials(): Promise<Credentials | undefined>
}

/** aws4-axios 3.x's argument: `aws4Interceptor({ options, credentials, instance })`. */
export interface Aws4AxiosArguments {
  instance?: { getUri(config?: any): string }
  options?: InterceptorOptions
  credentials?: Credentials | CredentialsProvider
}

/** An axios request interceptor signing every request: `axios.interceptors.request.use(aws4Interceptor({...}))`. */
export declare function aws4Interceptor(options: Aws4AxiosArguments): <C extends AxiosLikeConfig>(config: C) => Promise<C>
export declare function aws4Interceptor(options?: Aws4InterceptorOptions): <C extends AxiosLikeConfig>(config: C) => Promise<C>
/** aws4-axios' deprecated alias. */
export declare const interceptor: typeof aws4Interceptor
/** The `message` of an axios error's response body (aws4-axios' helper). */
export declare function getAuthErrorMessage(error: unknown): string | undefined
export default aws4Interceptor
