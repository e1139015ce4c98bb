// What the HTTP layer answers on its own, before (or instead of) a face's
// handler: unknown routes and methods, bodies too large or of an odd type,
// URLs that do not decode, and requests node's parser refuses. Each answer is in the shape of the face
// it was meant for: the RPC error body, or the console's under /console/.
// Whatever ends the connection says `Connection: close`, so a keep-alive
// client opens a new one instead of writing into a closed socket.
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { newRequestId } from './request-id.ts';
import type { WireError } from './wire-error.ts';
import { wireErrors } from './errors.ts';
import { DomainError } from '../domain/errors.ts';

const JSON_TYPE = 'application/json;charset=utf-8';

/** The RPC error body (the console's JSON is this without HostId and Recommend). */
export function rpcErrorBody(requestId: string, hostId: string, e: WireError) {
  return {
    RequestId: requestId,
    HostId: hostId,
    Code: e.code,
    Message: e.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(e.code)}&product=Ecs&requestId=${requestId}`,
  };
}

function isConsolePath(url: string): boolean {
  return url === '/console' || url.startsWith('/console/') || url.startsWith('/console?');
}

/** Sends `e` in the shape of the face `req` was meant for. */
export function sendInShape(reply: FastifyReply, e: WireError, opts: { close?: boolean } = {}) {
  const requestId = newRequestId();
  const url = reply.request.raw.url ?? '/';
  reply.code(e.status).header('content-type', JSON_TYPE).header('x-content-type-options', 'nosniff');
  if (opts.close) reply.header('connection', 'close');
  if (isConsolePath(url)) {
    reply.header('cache-control', 'no-store');
    return reply.send({ RequestId: requestId, Code: e.code, Message: e.message });
  }
  return reply.send(rpcErrorBody(requestId, 'ecs.aliyuncs.com', e));
}

/** Fastify options that must be given at construction (the parser's errors and bad URLs). */
export function httpErrorOptions(log: Logger) {
  return {
    // HEAD would run the GET handler: an action. The real API takes GET and POST only.
    exposeHeadRoutes: false,
    // While closing, requests on open connections are served (graceful-close.ts), not refused.
    return503OnClosing: false,
    clientErrorHandler: (err: NodeJS.ErrnoException, socket: Socket) => answerClientError(log, err, socket),
    frameworkErrors: (err: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
      sendInShape(reply, err.code === 'FST_ERR_BAD_URL' ? wireErrors.badUrl() : wireErrors.badRequest(), { close: false });
    },
  };
}

/** node's HTTP parser refused the request: no route, no reply object; answer on the socket and close it. */
function answerClientError(log: Logger, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const e =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? wireErrors.headersTooLarge()
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? wireErrors.requestTimeout()
        : wireErrors.badRequest();
  log.debug({ err: err.code }, 'client error');
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // The URL is unknown here (the parser failed), so the RPC shape: it is what most clients speak.
  const body = JSON.stringify(rpcErrorBody(newRequestId(), 'ecs.aliyuncs.com', e));
  const head = [
    `HTTP/1.1 ${e.status} ${STATUS_TEXT[e.status] ?? 'Error'}`,
    `Content-Type: ${JSON_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'X-Content-Type-Options: nosniff',
    'Connection: close',
  ].join('\r\n');
  // end() flushes before closing (destroy() may drop what is still queued); then the socket goes.
  socket.end(`${head}\r\n\r\n${body}`, () => socket.destroy());
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** Not-found and error answers; call before the faces register their routes and hooks. */
export function registerHttpErrors(server: FastifyInstance, log: Logger, opts: { bodyLimit: number }): void {
  server.setNotFoundHandler((_req, reply) => {
    const url = reply.request.raw.url ?? '/';
    sendInShape(
      reply,
      isConsolePath(url) && !url.startsWith('/console/api') ? wireErrors.consoleFileNotFound() : wireErrors.actionNotFound(),
    );
  });
  server.setErrorHandler((err: FastifyError, _req, reply) => {
    // Errors of the body parser: the rest of the body may be unread, so the connection is not reused.
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendInShape(reply, wireErrors.bodyTooLarge(opts.bodyLimit), { close: true });
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendInShape(reply, wireErrors.badContentType(), { close: true });
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500)
      return sendInShape(reply, wireErrors.badRequest(), { close: true });
    // The database out of reach (PostgreSQL restarting) on a route outside the RPC pipeline (/metrics' gauges,
    // the admin API's key check): the same retryable 503 the pipeline answers, not an InternalError.
    if (err instanceof DomainError && err.code === 'StoreUnavailable') return sendInShape(reply, wireErrors.storeUnavailable());
    log.error({ err }, 'internal error outside a handler');
    return sendInShape(reply, wireErrors.internalError());
  });
}
