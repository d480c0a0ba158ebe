// Types of libsigv4/aws4fetch: aws4fetch 1.0.20's AwsClient and AwsV4Signer, plus signSync() and the streaming
// options (`aws: { streaming, unsignedPayload, decodedLength }`).

/** Options of AwsV4Signer (aws4fetch's, plus libsigv4's streaming ones). */
export interface AwsV4SignerOptions {
  method?: string
  url: string
  headers?: HeadersInit
  body?: BodyInit | null
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  service?: string
  region?: string
  /** Accepted for compatibility; the core caches derived keys itself. */
  cache?: Map<string, ArrayBuffer>
  datetime?: string
  signQuery?: boolean
  appendSessionToken?: boolean
  allHeaders?: boolean
  singleEncode?: boolean
  /** S3 only: send a ReadableStream body as aws-chunked, each chunk signed (needs its length). */
  streaming?: boolean
  /** Send a ReadableStream body unhashed (UNSIGNED-PAYLOAD). */
  unsignedPayload?: boolean
  /** The length of a streamed body (else the Content-Length header). */
  decodedLength?: number
}

/** What sign() and signSync() return. */
export interface SignedParts {
  method: string
  url: URL
  headers: Headers
  body?: BodyInit | null
}

export class AwsV4Signer {
  constructor(options: AwsV4SignerOptions)
  method: string
  url: URL
  headers: Headers
  body?: BodyInit | null
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  service: string
  region: string
  cache: Map<string, ArrayBuffer>
  datetime: string
  signQuery?: boolean
  appendSessionToken?: boolean
  signableHeaders: string[]
  signedHeaders: string
  credentialString: string
  sign(): Promise<SignedParts>
  /** Like sign(), synchronously (a string or bytes body, or an X-Amz-Content-Sha256 header). */
  signSync(): SignedParts
  authHeader(): Promise<string>
  signature(): Promise<string>
  stringToSign(): Promise<string>
  canonicalString(): Promise<string>
}

/** Options of AwsClient. */
export interface AwsClientOptions {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  service?: string
  region?: string
  cache?: Map<string, ArrayBuffer>
  /** Retries of 5xx and 429 answers (default 10). */
  retries?: number
  /** First retry delay bound in ms, doubled each time (default 50). */
  initRetryMs?: number
}

/** fetch's RequestInit with aws4fetch's per-request `aws` options. */
export type AwsRequestInit = RequestInit & { aws?: Partial<AwsV4SignerOptions> }

export class AwsClient {
  constructor(options: AwsClientOptions)
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  service?: string
  region?: string
  cache: Map<string, ArrayBuffer>
  retries: number
  initRetryMs: number
  sign(input: RequestInfo | URL, init?: AwsRequestInit | null): Promise<Request>
  /** Like sign(), synchronously. */
  signSync(input: RequestInfo | URL, init?: AwsRequestInit | null): Request
  fetch(input: RequestInfo | URL, init?: AwsRequestInit | null): Promise<Response>
}
