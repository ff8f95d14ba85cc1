import { HttpException } from '@nestjs/common';
import {
  EventStoreError,
  EventStoreUnavailable,
  StreamNotFound,
  WrongExpectedRevision,
} from '../event-store/event-store.errors';
import { AppError, ERROR_CODES, type ErrorCode } from '../shared/errors';

/** RFC 9457 problem document. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly code: ErrorCode;
  readonly [extension: string]: unknown;
}

export interface ProblemResponse {
  readonly problem: Problem;
  readonly headers: Record<string, string>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'rule_violated',
  429: 'rate_limited',
  503: 'store_unavailable',
};

/** Errors Fastify raises before a route runs (body parsing, limits, content types). */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
};

function fromError(error: unknown): {
  code: ErrorCode;
  detail: string;
  ext: Record<string, unknown>;
  headers: Record<string, string>;
} {
  if (error instanceof AppError) {
    return { code: error.code, detail: error.message, ext: error.extensions, headers: error.headers };
  }
  if (error instanceof WrongExpectedRevision) {
    return {
      code: 'wrong_expected_revision',
      detail: error.message,
      ext: {
        stream: error.stream,
        expectedRevision: error.expected,
        currentRevision: revisionText(error.actual),
      },
      headers: {},
    };
  }
  if (error instanceof StreamNotFound)
    return { code: 'not_found', detail: error.message, ext: {}, headers: {} };
  if (error instanceof EventStoreUnavailable) {
    return { code: 'store_unavailable', detail: error.message, ext: {}, headers: { 'retry-after': '5' } };
  }
  if (error instanceof EventStoreError && error.code === 'duplicate_event') {
    return { code: 'duplicate_event', detail: error.message, ext: {}, headers: {} };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return {
      code: BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'validation_failed'),
      detail: error.message,
      ext: {},
      headers: {},
    };
  }
  const fastify = error as { code?: string; statusCode?: number; message?: string };
  if (typeof fastify.code === 'string' && FASTIFY_CODES[fastify.code]) {
    return { code: FASTIFY_CODES[fastify.code]!, detail: fastify.message ?? '', ext: {}, headers: {} };
  }
  if (error instanceof SyntaxError && fastify.statusCode === 400) {
    return { code: 'malformed_json', detail: error.message, ext: {}, headers: {} };
  }
  if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return {
      code: BY_STATUS[fastify.statusCode] ?? 'validation_failed',
      detail: fastify.message ?? '',
      ext: {},
      headers: {},
    };
  }
  return { code: 'internal', detail: 'An unexpected error occurred.', ext: {}, headers: {} };
}

function revisionText(actual: bigint | 'no_stream'): string | number {
  return actual === 'no_stream' ? 'no_stream' : Number(actual);
}

/** Maps any error to a problem document; never leaks a stack or an internal message on a 5xx. */
export function toProblem(error: unknown, instance: string): ProblemResponse {
  const { code, detail, ext, headers } = fromError(error);
  const { status, title } = ERROR_CODES[code];
  return {
    problem: { type: `/problems/${code}`, title, status, detail, instance, code, ...ext },
    headers,
  };
}

/** The problem document as OpenAPI describes it (a component named Problem). */
export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
  properties: {
    type: { type: 'string', example: '/problems/validation_failed' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string', enum: Object.keys(ERROR_CODES) },
    errors: {
      type: 'array',
      description: 'For validation: every bad field.',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
} as const;

/**
 * Gives every operation of an OpenAPI document its error answer: any status it does not document
 * otherwise is a problem document (RFC 9457, `application/problem+json`).
 */
export function describeProblems(document: {
  components?: { schemas?: Record<string, unknown> };
  paths: Record<string, object>;
}): void {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA },
  };
  const problem = {
    description: 'A problem: its `code` names it (see the API guide for every code and status).',
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Record<string, { responses?: object }>)) {
      if (operation.responses) operation.responses = { ...operation.responses, default: problem };
    }
  }
}
