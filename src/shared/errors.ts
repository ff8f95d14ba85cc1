/** One bad field of a request: `path` is dotted from the request body or query root. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** Every error the service raises on purpose has a code; the filter maps codes to HTTP statuses. */
export const ERROR_CODES = {
  bad_request: { status: 400, title: 'Bad request' },
  malformed_json: { status: 400, title: 'Malformed JSON' },
  validation_failed: { status: 400, title: 'Validation failed' },
  unknown_event_type: { status: 400, title: 'Unknown event type' },
  invalid_query: { status: 400, title: 'Invalid query' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  wrong_expected_revision: { status: 409, title: 'Wrong expected revision' },
  duplicate_event: { status: 409, title: 'Event id already used' },
  entry_retracted: { status: 409, title: 'Entry retracted' },
  conflict: { status: 409, title: 'Conflict' },
  log_altered: { status: 409, title: 'The log does not verify' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
  request_timeout: { status: 408, title: 'Request timeout' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  unknown_reference: { status: 422, title: 'Unknown reference' },
  rule_violated: { status: 422, title: 'Rule violated' },
  rate_limited: { status: 429, title: 'Too many requests' },
  headers_too_large: { status: 431, title: 'Request headers too large' },
  internal: { status: 500, title: 'Internal error' },
  store_unavailable: { status: 503, title: 'Event store unavailable' },
  overloaded: { status: 503, title: 'Too many reads waiting' },
  not_caught_up: { status: 503, title: 'Read models not caught up' },
  not_ready: { status: 503, title: 'Read models still catching up with the log' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra members of the problem document (e.g. `errors`, `currentRevision`, `knownTypes`). */
    readonly extensions: Record<string, unknown> = {},
    /** Response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static validation(errors: FieldError[], message?: string): AppError {
    const summary = message ?? errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    return new AppError('validation_failed', summary, { errors });
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
