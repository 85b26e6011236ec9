// Type declarations for quire, the Node.js binding of libquire.
/// <reference types="node" />

/** Report JSON: a Buffer, any typed array, an ArrayBuffer or a string. */
export type Input = Buffer | ArrayBufferView | ArrayBuffer | string;
export type Format = 'text' | 'html' | 'pdf' | 'png';
export type Shape = 'v2' | 'sections' | 'markdown' | 'sdk' | 'node' | 'matching' | 'empty' | 'unknown';

/** The version of the loaded libquire ('0.1.0'). */
export function version(): string;
/** What this libquire was built with. */
export function features(): Set<'cairo' | 'haru' | 'fetch'>;
/** The built-in template names ('default', 'sales_playbook', ...). */
export function templates(): string[];

/** One outside library libquire is built with. */
export interface Component {
  /** 'cairo', 'pango', 'libharu', 'libcurl', ... */
  readonly name: string;
  /** The version of its headers when libquire was built ('' if unknown). */
  readonly built: string;
  /** The version this process has loaded ('' if the library does not say;
   * null when it is not loaded, as libcurl until the first API call). */
  readonly running: string | null;
}
/** What the loaded libquire is made of, as `quire -V` prints it; load:
 * true loads libcurl first. */
export function buildInfo(options?: { load?: boolean }): Component[];
/** Loads libquire now (an explicit path, else $QUIRE_LIBRARY, else the
 * system loader) and returns where it came from. */
export function loadLibrary(path?: string): string;
/** Where libquire was loaded from, or null before the first call. */
export function libraryPath(): string | null;
/** The oldest libquire this binding drives. */
export const MIN_VERSION: readonly [number, number, number];

/** libquire is missing, is not libquire, or is too old. */
export class LibraryError extends Error {}

export type ErrorCodeName =
  | 'ERROR' | 'ENOMEM' | 'EINVAL' | 'ESYNTAX' | 'ESCHEMA' | 'ETOOBIG' | 'EIO' | 'ENOTREADY'
  | 'ETEMPLATE' | 'ENET' | 'EAUTH' | 'ECREDITS' | 'ENOTFOUND' | 'EVALIDATION' | 'ERATELIMIT'
  | 'ESERVER' | 'ETIMEOUT' | 'EJOBFAILED' | 'EJOBCANCELED' | 'EUNSUPPORTED' | 'EFONT'
  | 'ESIGNATURE' | 'EREFUSED';

/** A failed libquire call: the fields of its quire_error. */
export class QuireError extends Error {
  /** 'ESYNTAX', 'EAUTH', ... */
  readonly code: ErrorCodeName;
  /** The negative QUIRE_E* number (-4 for ESYNTAX). */
  readonly errno: number;
  /** The message without its place ('unexpected token near end of file'). */
  readonly detail: string;
  /** File name or URL (never with the API key). */
  readonly source: string;
  /** 1-based line and column of a JSON syntax error, else 0. */
  readonly line: number;
  readonly column: number;
  /** JSON path of a shape error ('$.json.sections[2]'), else ''. */
  readonly path: string;
  /** The request id the server echoed (API calls), else ''. */
  readonly requestId: string;
  /** HTTP status of a failed API call, else 0. */
  readonly httpStatus: number;
  /** Set on create errors: retrying with it cannot make a second job. */
  idempotencyKey?: string | null;
}
export class QuireMemoryError extends QuireError {}
export class InvalidArgumentError extends QuireError {}
export class JSONSyntaxError extends QuireError {}
export class SchemaError extends QuireError {}
export class TooBigError extends QuireError {}
export class QuireIOError extends QuireError {}
export class NotReadyError extends QuireError {}
export class TemplateError extends QuireError {}
export class NetworkError extends QuireError {}
export class AuthError extends QuireError {}
export class CreditsError extends QuireError {}
export class NotFoundError extends QuireError {}
export class APIValidationError extends QuireError {}
export class RateLimitError extends QuireError {}
export class ServerError extends QuireError {}
export class QuireTimeoutError extends QuireError {}
export class JobFailedError extends QuireError {}
export class JobCanceledError extends QuireError {}
export class UnsupportedError extends QuireError {}
export class FontError extends QuireError {}
export class SignatureError extends QuireError {}
export class RefusedError extends QuireError {}
/** EABORTED: a wait stopped by its signal (cause: the signal's reason);
 * the job itself goes on (Client.cancelJob cancels it). */
export class AbortedError extends QuireError {}
/** QUIRE_E* numbers to their names. */
export const CODE_NAMES: Readonly<Record<number, ErrorCodeName>>;
/** The class a QUIRE_E* number rejects with. */
export function errorClass(errno: number): typeof QuireError;

export interface ParseOptions {
  /** Check the contract schema exactly (default: tolerant). */
  strict?: boolean;
  /** Name of the input in messages. */
  source?: string;
  /** Bytes of JSON accepted (0 = 64 MiB). */
  maxInput?: number;
  /** Bytes per Markdown field (0 = 1 MiB). */
  maxMarkdown?: number;
  /** Blocks per report (0 = 100000). */
  maxBlocks?: number;
  /** Problems reported per document (0 = 100). */
  maxDiagnostics?: number;
}

/** One problem in a report. */
export class Problem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** JSON path of a shape problem. */
  readonly path: string | null;
  /** 1-based place of a JSON syntax error. */
  readonly line: number | null;
  readonly column: number | null;
  readonly source: string | null;
  /** 'ESCHEMA' for contract problems and warnings, 'ESYNTAX', 'ETOOBIG'... */
  readonly code: string;
  /** The line `quire validate` prints. */
  toString(): string;
}

export interface Validation {
  readonly valid: boolean;
  readonly problems: Problem[];
  readonly errors: Problem[];
  readonly warnings: Problem[];
}

export interface Fact {
  group: 'metrics' | 'provenance' | 'meta' | 'usage' | 'subject' | 'extra';
  name: string;
  value: string;
}

export interface RenderOptions {
  /** A template name overriding the report's own. */
  template?: string;
  /** A directory of user templates overriding built-in files one by one. */
  templatesDir?: string;
  /** PDF engine (default 'cairo'). */
  engine?: 'cairo' | 'haru';
  /** PDF and PNG paper (default 'a4'). */
  paper?: 'a4' | 'letter';
  /** PNG resolution (default 96). */
  dpi?: number;
  /** Text columns (default 80). */
  width?: number;
  /** Text colour depth (default 'none'). */
  color?: 'none' | '16' | '256' | 'truecolor';
  /** Text: ASCII borders and bullets. */
  ascii?: boolean;
  /** Text: OSC 8 links (with colour). */
  hyperlinks?: boolean;
  /** Cap on output bytes (0 = 256 MiB). */
  maxOutput?: number;
  /** Which body of a report that carries both is shown (default 'structured'). */
  body?: 'structured' | 'markdown' | 'both';
  /** Non-fatal rendering problems (a glyph no font has). */
  onWarning?: (message: string) => void;
}

export interface PageOption {
  /** The 1-based PNG page. */
  page?: number;
}

/** A parsed report: immutable; render it from many calls at once. */
export class Document {
  private constructor();
  /** The name given at parse time (the path for parseFile). */
  readonly source: string | null;
  readonly shape: Shape;
  /** The title every renderer shows (never empty). */
  readonly title: string;
  readonly id: string | null;
  readonly createdAt: string | null;
  readonly jobId: string | null;
  readonly label: string | null;
  readonly template: string | null;
  readonly entityId: string | null;
  readonly entityLabel: string | null;
  readonly mediaId: string | null;
  readonly mediaUrl: string | null;
  readonly summary: string | null;
  readonly reportUrl: string | null;
  readonly pdfUrl: string | null;
  readonly markdown: string | null;
  /** Non-fatal decoding problems, each with its JSON path. */
  readonly warnings: Problem[];
  readonly facts: Fact[];
  readonly closed: boolean;
  /** The canonical model tree (as `quire inspect`). */
  dump(): string;
  render(format?: Format, options?: RenderOptions & PageOption): Promise<Buffer>;
  renderSync(format?: Format, options?: RenderOptions & PageOption): Buffer;
  /** Frees the C document (after any render in flight). */
  close(): void;
}

export function parse(data: Input, options?: ParseOptions): Promise<Document>;
export function parseSync(data: Input, options?: ParseOptions): Document;
export function parseFile(path: string | URL, options?: ParseOptions): Promise<Document>;
export function parseFileSync(path: string | URL, options?: ParseOptions): Document;
export function validate(data: Input, options?: Pick<ParseOptions, 'strict' | 'source' | 'maxInput' | 'maxDiagnostics'>): Promise<Validation>;
export function validateSync(data: Input, options?: Pick<ParseOptions, 'strict' | 'source' | 'maxInput' | 'maxDiagnostics'>): Validation;

/**
 * A look (template, templates directory, engine; with them every template
 * file compiled, the themes, the fonts) built once by libquire's
 * quire_renderer, then shared by any number of concurrent renders. A
 * broken template, a missing directory or an unknown template throws when
 * it is built.
 */
export class Renderer {
  /** Builds on the calling thread. */
  constructor(options?: RenderOptions);
  /** Builds on the worker pool. */
  static create(options?: RenderOptions): Promise<Renderer>;
  readonly options: Readonly<RenderOptions>;
  /** True once close() was called. */
  readonly closed: boolean;
  render(doc: Document | Input, format?: Format, options?: PageOption): Promise<Buffer>;
  renderSync(doc: Document | Input, format?: Format, options?: PageOption): Buffer;
  /** Atomic file (format from the extension by default), or a writable stream. */
  renderTo(out: string | URL | NodeJS.WritableStream, doc: Document | Input, format?: Format, options?: PageOption): Promise<void>;
  pageCount(doc: Document | Input): Promise<number>;
  /** PNG pages first..last (1-based; last omitted: the last page). */
  renderPages(doc: Document | Input, first?: number, last?: number): Promise<Buffer[]>;
  /** Frees the C renderer (after any render in flight) and the onWarning
   * callback. */
  close(): void;
}
export function render(data: Document | Input, format?: Format, options?: RenderOptions & PageOption): Promise<Buffer>;
export function renderSync(data: Document | Input, format?: Format, options?: RenderOptions & PageOption): Buffer;
/** The format an output file name asks for ('.pdf' -> 'pdf'). */
export function formatForPath(path: string): Format;
export const FORMATS: readonly Format[];

export interface ClientOptions {
  /** Required; sent only in the Mappa-Api-Key header, only to baseUrl. */
  apiKey: string;
  /** Default https://api.mappa.ai; plain http only for loopback. */
  baseUrl?: string;
  userAgent?: string;
  /** Retries after the first attempt for 429/5xx (default 2, 0..10). */
  maxRetries?: number;
  /** Seconds. */
  connectTimeout?: number;
  /** Seconds per attempt. */
  timeout?: number;
  lowSpeedLimit?: number;
  lowSpeedTime?: number;
  maxResponse?: number;
  maxRedirects?: number;
  /** Seconds between job polls when the event stream fails. */
  pollInterval?: number;
  /** Multiplies every back-off and poll sleep (tests). */
  timeScale?: number;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled' | 'unknown';

/** A job as the server last described it. */
export class Job {
  private constructor();
  readonly id: string | null;
  readonly type: string | null;
  readonly status: JobStatus;
  readonly stage: string | null;
  /** 0..1, or null. */
  readonly progress: number | null;
  readonly reportId: string | null;
  readonly matchingId: string | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
  /** Seconds the server estimated on creation, or null. */
  readonly estimatedWait: number | null;
  /** The JSON text the job was read from. */
  readonly json: string;
  /** Set on created jobs. */
  readonly idempotencyKey: string | null;
  /** Set on created jobs: the media the job analyses. */
  readonly mediaId?: string | null;
  /** Set by createJob when it uploaded the media first (file or url). */
  readonly uploaded?: MediaFile | null;
  readonly terminal: boolean;
}

/** A media file on the server, as a snapshot. */
export class MediaFile {
  private constructor();
  readonly mediaId: string | null;
  readonly label: string | null;
  readonly contentType: string | null;
  readonly createdAt: string | null;
  /** Bytes, or null when unknown. */
  readonly size: number | null;
  /** Seconds, or null when unknown. */
  readonly duration: number | null;
  /** null when the server did not say. */
  readonly retentionLocked: boolean | null;
  readonly deleted: boolean;
  /** The object as received (never with the API key). */
  readonly json: string;
  /** Set on uploaded files: uploading again with it makes no second file. */
  readonly idempotencyKey: string | null;
}

/** A person the server recognises across recordings, as a snapshot. */
export class Entity {
  private constructor();
  readonly id: string | null;
  readonly label: string | null;
  readonly createdAt: string | null;
  readonly lastSeenAt: string | null;
  readonly mediaCount: number | null;
  readonly json: string;
}

/** One page of a list. */
export class Page<T> implements Iterable<T> {
  private constructor();
  readonly items: T[];
  readonly hasMore: boolean;
  /** Pass as cursor for the next page; null on the last. */
  readonly nextCursor: string | null;
  readonly json: string;
  [Symbol.iterator](): Iterator<T>;
}

export interface UploadRequest {
  /** A local file, streamed from disk as it is sent. */
  path?: string;
  /** Or a URL (https, or http to loopback) fetched first without the key. */
  url?: string;
  /** Sent with the part; default the path's name. */
  filename?: string;
  contentType?: string;
  label?: string;
  idempotencyKey?: string;
  /** Bytes sent so far and in all (null when unknown). */
  progress?: (sent: number, total: number | null) => void;
}

export interface ListOptions {
  /** 1..100; 0 or absent: the server's default (20). */
  limit?: number;
  /** The previous page's nextCursor. */
  cursor?: string | null;
}

/** Custom headers the server attaches to each webhook delivery:
 * {name: value}, a Map, [name, value] pairs or 'Name: value' lines. */
export type DeliveryHeaders =
  | Record<string, string>
  | Map<string, string>
  | ReadonlyArray<string | readonly [string, string]>;

export interface Target {
  strategy?: 'dominant' | 'timerange' | 'entity_id' | 'magic_hint' | 'speaker_index';
  start?: number;
  end?: number;
  entityId?: string;
  hint?: string;
  speakerIndex?: number;
  /** on_miss: fall back to the dominant speaker instead of failing. */
  fallbackDominant?: boolean;
}

export type Subject = { entityId: string } | { mediaId: string; target?: Target };

interface JobRequestBase {
  template: string;
  params?: Record<string, unknown> | string;
  target?: Target;
  webhookUrl?: string;
  webhookHeaders?: DeliveryHeaders;
  label?: string;
  entityLabel?: string;
  idempotencyKey?: string;
  /** Progress of the upload when the media is a file or url. */
  uploadProgress?: (sent: number, total: number | null) => void;
}

/** A job on uploaded media (mediaId), or on a local file or a url that
 * createJob uploads first. */
export type JobRequest =
  | (JobRequestBase & { mediaId: string; file?: never; url?: never })
  | (JobRequestBase & { file: string; mediaId?: never; url?: never })
  | (JobRequestBase & { url: string; mediaId?: never; file?: never });

export interface MatchingRequest {
  target: Subject;
  group: Subject[];
  context?: string;
  webhookUrl?: string;
  webhookHeaders?: DeliveryHeaders;
  idempotencyKey?: string;
}

export interface WaitOptions {
  /** Overall deadline in seconds (default 300). */
  timeout?: number;
  /** Poll GET /v1/jobs/{id} only, no event stream. */
  poll?: boolean;
  progress?: (job: Job) => void;
  /** Every raw event of the job's stream (while polling: type 'job'). */
  onEvent?: (event: JobEvent) => void;
  /** Stops the wait with AbortedError; the job goes on. */
  signal?: AbortSignal;
}

/** One event of a job's stream, as received (data: the API key redacted). */
export class JobEvent {
  readonly type: string;
  readonly id: string;
  readonly data: string;
  readonly job: Job | null;
}

/** The Conduit API client; one call at a time per client. */
export class Client {
  constructor(options: ClientOptions);
  readonly baseUrl: string;
  getReport(reportId: string): Promise<Buffer>;
  getReportByJob(jobId: string): Promise<Buffer>;
  getMatching(matchingId: string): Promise<Buffer>;
  getMatchingByJob(jobId: string): Promise<Buffer>;
  fetchReport(reportId: string, options?: { strict?: boolean }): Promise<Document>;
  fetchReportByJob(jobId: string, options?: { strict?: boolean }): Promise<Document>;
  getJob(jobId: string): Promise<Job>;
  cancelJob(jobId: string): Promise<Job>;
  getJobReport(job: Job): Promise<Buffer>;
  createJob(request: JobRequest): Promise<Job>;
  createMatchingJob(request: MatchingRequest): Promise<Job>;
  waitJob(jobId: string, options?: WaitOptions): Promise<Job>;
  waitReport(jobId: string, options?: WaitOptions): Promise<Buffer>;
  /** POST /v1/files: a path (string) or an UploadRequest. */
  upload(request: UploadRequest | string): Promise<MediaFile>;
  getFile(mediaId: string): Promise<MediaFile>;
  deleteFile(mediaId: string): Promise<MediaFile>;
  setFileRetention(mediaId: string, lock: boolean): Promise<MediaFile>;
  listFiles(options?: ListOptions & { includeDeleted?: boolean }): Promise<Page<MediaFile>>;
  listEntities(options?: ListOptions): Promise<Page<Entity>>;
  /** Every page from options.cursor on, gathered into one Page. */
  listAllFiles(options?: ListOptions & { includeDeleted?: boolean }): Promise<Page<MediaFile>>;
  listAllEntities(options?: ListOptions): Promise<Page<Entity>>;
  getEntity(entityId: string): Promise<Entity>;
  /** null clears the label. */
  setEntityLabel(entityId: string, label: string | null): Promise<Entity>;
  close(): void;
}

/** Request headers: node:http's req.headers or req.rawHeaders, a Headers,
 * [name, value] pairs or 'Name: value' lines. */
export type WebhookHeaders =
  | Record<string, string | string[] | undefined>
  | { entries(): IterableIterator<[string, string]>; get(name: string): string | null }
  | Array<[string, string]>
  | string[];

export interface WebhookInput {
  headers: WebhookHeaders;
  /** The raw request body, byte for byte. */
  body: Buffer | ArrayBufferView | string;
  secret: Buffer | string;
  /** Seconds either side of now (default 300). */
  tolerance?: number;
  /** Unix seconds to check against (default: the clock). */
  now?: number;
}

export interface WebhookEvent {
  kind: 'report.completed' | 'report.failed' | 'matching.completed' | 'matching.failed' | 'unknown';
  type: string | null;
  id: string | null;
  createdAt: string | null;
  jobId: string | null;
  reportId: string | null;
  matchingId: string | null;
  status: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  data: Record<string, unknown>;
}

/** Verifies the signature, then reads the event. Throws SignatureError. */
export function verifyWebhook(input: WebhookInput): WebhookEvent;
export function verifySignature(input: WebhookInput): void;
export function parseEvent(body: Buffer | ArrayBufferView | string): WebhookEvent;
/** The conduit-signature value Conduit would send (tests, local tools). */
export function sign(body: Buffer | ArrayBufferView | string, secret: Buffer | string, timestamp?: number): string;
