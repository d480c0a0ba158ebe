/** libsigv4/aws-sdk: the AWS SDK for JavaScript v3 signing through the libsigv4 core. */

/** Credentials as the SDK passes them. */
export interface AwsCredentialIdentity {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  expiration?: Date
}

type Provider<T> = T | (() => Promise<T>)

/** @smithy/signature-v4's constructor options. */
export interface SignatureV4Init {
  credentials: Provider<AwsCredentialIdentity>
  region: Provider<string>
  service: string
  /** Accepted for compatibility and unused: the core hashes. */
  sha256?: unknown
  /** Normalise and encode the path again (default true; false for S3). */
  uriEscapePath?: boolean
  /** Add x-amz-content-sha256 when signing headers (default true). */
  applyChecksum?: boolean
}

/** The request shape of @smithy/types' HttpRequest. */
export interface HttpRequestLike {
  method: string
  protocol: string
  hostname: string
  port?: number
  path: string
  query: Record<string, string | Array<string> | null>
  headers: Record<string, string>
  body?: unknown
  username?: string
  password?: string
  fragment?: string
}

export interface SigningArguments {
  signingDate?: Date | number | string
  signingService?: string
  signingRegion?: string
}

export interface RequestSigningArguments extends SigningArguments {
  unsignableHeaders?: Set<string>
  signableHeaders?: Set<string>
}

export interface RequestPresigningArguments extends RequestSigningArguments {
  expiresIn?: number
  unhoistableHeaders?: Set<string>
  hoistableHeaders?: Set<string>
}

export interface EventSigningArguments extends SigningArguments {
  priorSignature: string
  eventStreamCredentials?: AwsCredentialIdentity
}

export interface MessageSigningArguments extends SigningArguments {
  eventStreamCredentials?: AwsCredentialIdentity
}

export interface FormattedEvent {
  headers: Uint8Array
  payload: Uint8Array
}

export interface SignableMessage {
  message: { headers: Record<string, { type: string; value: unknown }>; body: Uint8Array }
  priorSignature: string
}

export interface SignedMessage {
  message: SignableMessage['message']
  signature: string
}

/** A drop-in for @smithy/signature-v4's SignatureV4 (RequestSigner, RequestPresigner, message signing). */
export declare class SignatureV4 {
  constructor(options: SignatureV4Init)
  readonly service: string
  readonly uriEscapePath: boolean
  readonly applyChecksum: boolean
  presign<T extends HttpRequestLike>(request: T, options?: RequestPresigningArguments): Promise<T>
  sign(stringToSign: string, options?: SigningArguments): Promise<string>
  sign(event: FormattedEvent, options: EventSigningArguments): Promise<string>
  sign(message: SignableMessage, options: MessageSigningArguments): Promise<SignedMessage>
  sign<T extends HttpRequestLike>(request: T, options?: RequestSigningArguments): Promise<T>
  signRequest<T extends HttpRequestLike>(request: T, options?: RequestSigningArguments): Promise<T>
  signString(stringToSign: string | Uint8Array, options?: MessageSigningArguments): Promise<string>
  signEvent(event: FormattedEvent, options: EventSigningArguments): Promise<string>
  signMessage(message: SignableMessage, options: MessageSigningArguments): Promise<SignedMessage>
  /** S3 Express: signs with these credentials, the session token in x-amz-s3session-token. */
  signWithCredentials<T extends HttpRequestLike>(request: T, credentials: AwsCredentialIdentity, options?: RequestSigningArguments): Promise<T>
  /** S3 Express: presigns with these credentials, the session token as X-Amz-S3session-Token. */
  presignWithCredentials<T extends HttpRequestLike>(request: T, credentials: AwsCredentialIdentity, options?: RequestPresigningArguments): Promise<T>
  /** Throws unless `credentials` has both keys (smithy's; protected there). */
  protected validateResolvedCredentials(credentials: unknown): void
}

export interface GetSignedUrlOptions extends RequestPresigningArguments {}

/**
 * @aws-sdk/s3-request-presigner's getSignedUrl, signing through the core; repeated calls that differ
 * only in the object key skip the client's middleware stack.
 */
export declare function getSignedUrl(client: any, command: any, options?: GetSignedUrlOptions): Promise<string>
