// Service-to-service calls between IAM-protected API Gateway endpoints (the "request signer"
// utility many Lambda code bases carry), built on libsigv4: every call is SigV4-signed with the
// Lambda's role credentials, retried with backoff, and JSON in and out.
//
// Base URLs come from the environment (set by the SAM/CDK template):
//   AI_SERVICE_API_URL, INTEGRATION_SERVICE_API_URL, BACKGROUND_SERVICE_API_URL, ADMIN_SERVICE_API_URL
// Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (Lambda sets them), or
// pass a provider such as fromNodeProviderChain() from @aws-sdk/credential-providers.
import { Signer, createApiClient, HttpError, type ApiClient, type Credentials, type SignedRequest } from 'libsigv4'

type Json = unknown
type Query = Record<string, string | number | boolean | undefined>

/** Where credentials come from: the environment by default. */
let credentialSource: Credentials | (() => Promise<Credentials>) | undefined

/** Use a credential provider (e.g. fromNodeProviderChain()) instead of the environment. */
export function useCredentials(source: Credentials | (() => Promise<Credentials>)): void {
  credentialSource = source
  clients.clear()
}

const clients = new Map<string, ApiClient>()

/** The fetch used for every call (default the global one). */
let fetchImpl: typeof fetch | undefined

/** Use another fetch (to log or record each signed attempt, or a test double). */
export function useFetch(f: typeof fetch | undefined): void {
  fetchImpl = f
  clients.clear()
}

function clientFor(apiUrl: string, retries: number, baseDelayMs: number): ApiClient {
  const key = `${apiUrl}|${retries}|${baseDelayMs}`
  let client = clients.get(key)
  if (!client) {
    client = createApiClient({
      baseUrl: apiUrl,
      service: 'execute-api',
      region: process.env.AWS_REGION,
      credentials: credentialSource,
      retries,
      baseDelayMs,
      timeoutMs: Number(process.env.SERVICE_CALL_TIMEOUT_MS ?? 10_000),
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    })
    clients.set(key, client)
  }
  return client
}

/** Options of a manual signing. */
export interface SignRequestOptions {
  method: string
  hostname: string
  path: string
  body?: string
  headers?: Record<string, string>
  queryParams?: Query
  region?: string
  service?: string
}

/** Signs a request without sending it; send `url`, `method`, `headers` and `body` as they are. */
export async function signRequest(options: SignRequestOptions): Promise<ReturnType<SignedRequest['toJSON']> & { body?: string }> {
  const url = new URL(`https://${options.hostname}${options.path}`)
  for (const [k, v] of Object.entries(options.queryParams ?? {})) if (v !== undefined) url.searchParams.append(k, String(v))
  const signer = new Signer({
    credentials: credentialSource,
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    service: options.service ?? 'execute-api',
  })
  const signed = await signer.signAsync({ method: options.method, url: url.href, headers: options.headers, body: options.body })
  return { ...signed.toJSON(), body: options.body }
}

/** Calls `method path` on an API once (no retry). Throws HttpError (status, body) on non-2xx. */
export async function invokeApiGateway<T = Json>(
  apiUrl: string, method: string, path: string, body?: Json, query?: Query, headers?: Record<string, string>,
): Promise<T> {
  return clientFor(apiUrl, 0, 0).invoke<T>(method, path, body, query, headers)
}

/** Like invokeApiGateway, retrying 429/5xx/network errors with exponential backoff and jitter. */
export async function invokeApiGatewayWithRetry<T = Json>(
  apiUrl: string, method: string, path: string, body?: Json, query?: Query, maxRetries = 3, initialDelayMs = 1000,
  headers?: Record<string, string>,
): Promise<T> {
  return clientFor(apiUrl, maxRetries, initialDelayMs).invoke<T>(method, path, body, query, headers)
}

/** One call of a batch. */
export interface BatchInvocation {
  apiUrl: string
  method: string
  path: string
  body?: Json
  query?: Query
  headers?: Record<string, string>
}

/** Several calls at once (at most `concurrency` in flight); settled results in input order. */
export async function batchInvokeApiGateway<T = Json>(calls: BatchInvocation[], concurrency = 5): Promise<PromiseSettledResult<T>[]> {
  const { batch } = await import('libsigv4')
  return batch(calls, (c) => invokeApiGatewayWithRetry<T>(c.apiUrl, c.method, c.path, c.body, c.query), { concurrency })
}

function serviceUrl(variable: string): string {
  const url = process.env[variable]
  if (!url) throw new Error(`${variable} is not set`)
  return url
}

/** The AI service (AI_SERVICE_API_URL). */
export const invokeAiService = <T = Json>(path: string, method = 'GET', body?: Json, query?: Query) =>
  invokeApiGatewayWithRetry<T>(serviceUrl('AI_SERVICE_API_URL'), method, path, body, query)
/** The integration service (INTEGRATION_SERVICE_API_URL). */
export const invokeIntegrationService = <T = Json>(path: string, method = 'GET', body?: Json, query?: Query) =>
  invokeApiGatewayWithRetry<T>(serviceUrl('INTEGRATION_SERVICE_API_URL'), method, path, body, query)
/** The background service (BACKGROUND_SERVICE_API_URL). */
export const invokeBackgroundService = <T = Json>(path: string, method = 'GET', body?: Json, query?: Query) =>
  invokeApiGatewayWithRetry<T>(serviceUrl('BACKGROUND_SERVICE_API_URL'), method, path, body, query)
/** The admin service (ADMIN_SERVICE_API_URL). */
export const invokeAdminService = <T = Json>(path: string, method = 'GET', body?: Json | null, query?: Query) =>
  invokeApiGatewayWithRetry<T>(serviceUrl('ADMIN_SERVICE_API_URL'), method, path, body ?? undefined, query)

/** Tells the usual failures apart: 403 (IAM), 404 (route), 5xx (the other service). */
export function describeError(error: unknown): string {
  if (error instanceof HttpError) {
    if (error.status === 403) return `permission denied - check execute-api:Invoke in the IAM policy (${error.message})`
    if (error.status === 404) return `endpoint not found - check the path and the stage (${error.message})`
    if (error.status >= 500) return `service error - check that service's logs (${error.message})`
    return error.message
  }
  return error instanceof Error ? error.message : String(error)
}
