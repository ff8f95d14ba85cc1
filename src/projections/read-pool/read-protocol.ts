import type { ErrorCode } from '../../shared/errors';

/** What a read worker is started with. */
export interface WorkerData {
  /** The read-model database, opened read-only. */
  readonly file: string;
  /** The deployment's cursor key (see setCursorKey): the worker signs and checks cursors with it. */
  readonly cursorKey: Uint8Array;
}

export interface ReadRequest {
  readonly id: number;
  readonly reader: string;
  readonly method: string;
  readonly args: unknown[];
}

export interface ReadResponse {
  readonly id: number;
  /** The answer as JSON: one string crosses threads at the cost of a copy, and is sent as is. */
  readonly json?: string;
  readonly error?: {
    /** An AppError, rebuilt as one on the other side. */
    readonly app?: {
      readonly code: ErrorCode;
      readonly message: string;
      readonly extensions: Record<string, unknown>;
      readonly headers: Record<string, string>;
    };
    readonly message?: string;
    readonly stack?: string;
  };
}
