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
  expiresIn?: number
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

/** An axios request interceptor signing every request: `axios.interceptors.request.use(aws4Interceptor({...}))`. */
export declare function aws4Interceptor(options?: Aws4InterceptorOptions): <C extends AxiosLikeConfig>(config: C) => Promise<C>
