import type { SignerOptions, Signer } from '../index'

/** Options of `createSignedFetch`. */
export interface SignedFetchOptions extends Partial<SignerOptions> {
  /** Service to sign for, e.g. `execute-api`, `lambda`. */
  service?: string
  /** Region (default: from the host name, then AWS_REGION). */
  region?: string
  /** Use this signer instead of building one. */
  signer?: Signer
  /** Retries after the first attempt for 429/5xx/network errors (default 3). */
  retries?: number
  /** First backoff step in ms (default 100); doubles per attempt, with full jitter. */
  baseDelayMs?: number
  /** Longest wait between attempts in ms (default 5000). */
  maxDelayMs?: number
  /** Per-attempt timeout in ms. */
  timeoutMs?: number
  /** Which statuses to retry (default 429 and >= 500). */
  retryOn?: (status: number) => boolean
  /** The fetch to use (default the global one). */
  fetch?: typeof globalThis.fetch
  /** The signing clock (default: now). */
  now?: () => Date | number | string
  /** Presign into the URL instead of an Authorization header. */
  presign?: boolean
  /** Lifetime of presigned URLs, seconds. */
  expiresIn?: number  /** Add a signed random `X-Request-Nonce` header (128-bit hex) so identical calls in the same second are not refused as replays. */
  nonce?: boolean
}

/** A `fetch` that signs every attempt afresh and retries with backoff. */
export declare function createSignedFetch(options?: SignedFetchOptions): (input: string | URL | Request, init?: RequestInit) => Promise<Response>

/** Options of `createApiClient`. */
export interface ApiClientOptions extends SignedFetchOptions {
  /** Base URL, e.g. `https://abc123.execute-api.us-east-1.amazonaws.com/v1`. */
  baseUrl: string
}

/** One call of `ApiClient.batch`. */
export interface BatchCall {
  method?: string
  path: string
  body?: unknown
  query?: Record<string, string | number | boolean | undefined>
  headers?: Record<string, string>
}

/** A JSON client of one IAM-protected API. */
export interface ApiClient {
  /** Sends JSON, returns the parsed answer; throws `HttpError` (status, body) on non-2xx. */
  invoke<T = unknown>(method: string, path: string, body?: unknown, query?: Record<string, string | number | boolean | undefined> | null, headers?: Record<string, string> | null, init?: RequestInit): Promise<T>
  /** The signed fetch underneath. */
  fetch: ReturnType<typeof createSignedFetch>
  /** Several calls with a concurrency limit (default 8), settled in order. */
  batch<T = unknown>(calls: BatchCall[], options?: { concurrency?: number; signal?: AbortSignal }): Promise<PromiseSettledResult<T>[]>
}

/** A client for one API (service `execute-api` by default). */
export declare function createApiClient(options: ApiClientOptions): ApiClient

/** The region in an AWS host name, if any. */
export declare function regionFromHost(host: string): string | undefined
/** The default `retryOn`: retries 429 and 5xx answers. */
export declare function defaultRetryOn(status: number): boolean
