import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { ERROR_CODES, type ErrorCode } from '../shared/errors';
import { PROBLEM_CONTENT_TYPE } from './problem-details';

/** Node's parser and timeout errors, by what they mean to the client. */
const CLIENT_ERRORS: Record<string, [ErrorCode, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: ['request_timeout', 'the request did not arrive in time'],
  HPE_HEADER_OVERFLOW: ['headers_too_large', 'the request line and headers are too large'],
};

/**
 * Answers an error the HTTP parser raises before any route runs (a timeout, headers too large,
 * garbage instead of HTTP) with a problem document, as every other error is answered, and closes
 * the connection. Fastify's default answers plain JSON or nothing at all.
 */
export function answerClientError(
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
): void {
  if (!socket.writable) return;
  const [code, detail] =
    CLIENT_ERRORS[error.code ?? ''] ?? (['bad_request', 'the request is not valid HTTP'] as const);
  const { status, title } = ERROR_CODES[code];
  const instance = requestTarget(error.rawPacket);
  const body = JSON.stringify({ type: `/problems/${code}`, title, status, detail, instance, code });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * The request's target as far as it arrived (the parser keeps what it had read), for the problem's
 * `instance` as every other problem has one; empty when there is no readable path, as with garbage.
 */
function requestTarget(raw: unknown): string {
  const line = Buffer.isBuffer(raw) ? raw.subarray(0, 2048).toString('latin1') : '';
  const target = /^[A-Z]+ (\/[\x21-\x7e]*)/.exec(line)?.[1] ?? '';
  return target.slice(0, 200);
}

/** Errors Fastify's router raises (a URL it cannot decode, such as "%FF"), as problem documents. */
export function answerFrameworkError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const { status, title } = ERROR_CODES.bad_request;
  void reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({
      type: '/problems/bad_request',
      title,
      status,
      detail: `the request URL cannot be read: ${error.message}`,
      instance: request.url.slice(0, 200),
      code: 'bad_request',
    });
}
