// Types of libsigv4/aws4, the aws4 drop-in (same shapes as @types/aws4).

/** What aws4 reads (and mutates, adding `headers`, `path`, `hostname`). */
export interface Request {
  host?: string
  hostname?: string
  port?: number | string
  path?: string
  method?: string
  headers?: Record<string, any>
  body?: string | Uint8Array | ArrayBufferView
  service?: string
  region?: string
  signQuery?: boolean
  doNotEncodePath?: boolean
  doNotModifyHeaders?: boolean
  extraHeadersToIgnore?: Record<string, boolean>
  extraHeadersToInclude?: Record<string, boolean>
  [key: string]: any
}

/** Credentials; without them, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN. */
export interface Credentials {
  accessKeyId?: string
  secretAccessKey?: string
  sessionToken?: string
}

/** aws4's signer object. */
export declare class RequestSigner {
  constructor(request: Request | string, credentials?: Credentials)
  request: Request
  credentials: Credentials
  service: string
  region: string
  sign(): Request
  signature(): string
  stringToSign(): string
  canonicalString(): string
  canonicalHeaders(): string
  signedHeaders(): string
  credentialString(): string
  authHeader(): string
  getDateTime(): string
  getDate(): string
  matchHost(host: string): string[]
  createHost(): string
  isSingleRegion(): boolean
  prepareRequest(): void
  parsePath(): void
  formatPath(): string
  filterHeaders(): void
  defaultCredentials(): Credentials
}

/** Signs `request` in place (headers, or the query with `signQuery`) and returns it. */
export declare function sign<T extends Request>(request: T, credentials?: Credentials): T & { headers: Record<string, any>; path: string }
