/**
 * Serves the distribution bucket over HTTP the way the CDN does: stored Content-Type and
 * Cache-Control, ETag and Last-Modified with 304 answers for conditional requests, `index.html`
 * for folder paths, the security headers of the CloudFront response headers policy, and only GET
 * and HEAD. Every path is looked up as an S3 key (never as a file), and dot segments are refused,
 * so no request can reach outside the bucket.
 */
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { closeServer } from './sqs/server';

/** The same values as the CloudFront response headers policy of the cloud stack. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
};

export interface SiteServerOptions {
  s3: S3ClientConfig;
  bucket: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
}

export interface SiteServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

interface Found {
  key: string;
  body?: Readable;
  contentType?: string;
  cacheControl?: string;
  etag?: string;
  lastModified?: Date;
  contentLength?: number;
}

export async function startSiteServer(options: SiteServerOptions): Promise<SiteServer> {
  const host = options.host ?? '127.0.0.1';
  const s3 = new S3Client(options.s3);

  const lookup = async (key: string, withBody: boolean): Promise<Found | undefined> => {
    try {
      const input = { Bucket: options.bucket, Key: key };
      const out = withBody ? await s3.send(new GetObjectCommand(input)) : await s3.send(new HeadObjectCommand(input));
      return {
        key,
        body: 'Body' in out ? (out.Body as Readable | undefined) : undefined,
        contentType: out.ContentType,
        cacheControl: out.CacheControl,
        etag: out.ETag,
        lastModified: out.LastModified,
        contentLength: out.ContentLength,
      };
    } catch (error) {
      if (error instanceof NoSuchKey || error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return undefined;
      throw error;
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 502, 'text/plain; charset=utf-8', `Bad gateway: ${String(error)}\n`);
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', method);
    }
    const key = keyOf(request.url ?? '/');
    if (key === undefined) return send(response, 400, 'text/plain; charset=utf-8', 'Bad request\n', method);

    const withBody = method === 'GET';
    const found = await lookup(key, withBody);
    if (!found) {
      // `/de` → `/de/` when the folder has an index, as the CDN's URL rewrite does.
      if (!key.endsWith('index.html') && (await lookup(`${key}/index.html`, false))) {
        response.setHeader('location', `/${key.split('/').map(encodeURIComponent).join('/')}/`);
        return send(response, 301, 'text/plain; charset=utf-8', 'Moved permanently\n', method);
      }
      const page = await lookup('404.html', withBody);
      if (page) return stream(response, 404, page, method);
      return send(response, 404, 'text/html; charset=utf-8', '<!doctype html><title>Not found</title><h1>Not found</h1>\n', method);
    }
    if (notModified(request, found)) {
      setValidators(response, found);
      response.writeHead(304);
      response.end();
      found.body?.destroy();
      return;
    }
    return stream(response, 200, found, method);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/`,
    port,
    server,
    close: async () => {
      await closeServer(server);
      s3.destroy();
    },
  };
}

/**
 * The S3 key for a request path, or undefined when the path is not acceptable (dot segments,
 * backslashes, control characters, malformed escapes).
 */
export function keyOf(url: string): string | undefined {
  const rawPath = url.split('?')[0]!.split('#')[0]!;
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (!path.startsWith('/') || /[\\\u0000-\u001f]/.test(path)) return undefined;
  const segments = path.slice(1).split('/');
  if (segments.some((s) => s === '.' || s === '..')) return undefined;
  if (segments.slice(0, -1).some((s) => s === '')) return undefined;
  const key = segments.join('/');
  return key === '' || key.endsWith('/') ? `${key}index.html` : key;
}

function notModified(request: IncomingMessage, found: Found): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (!found.etag) return false;
    const wanted = found.etag.replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => {
      const t = tag.trim();
      return t === '*' || t.replace(/^W\//, '') === wanted;
    });
  }
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince && found.lastModified) {
    const since = Date.parse(ifModifiedSince);
    // HTTP dates have whole seconds.
    return !Number.isNaN(since) && Math.floor(found.lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}

function setValidators(response: ServerResponse, found: Found): void {
  if (found.etag) response.setHeader('etag', found.etag);
  if (found.lastModified) response.setHeader('last-modified', found.lastModified.toUTCString());
  if (found.cacheControl) response.setHeader('cache-control', found.cacheControl);
}

function stream(response: ServerResponse, status: number, found: Found, method: string): void {
  setValidators(response, found);
  response.setHeader('content-type', found.contentType ?? 'application/octet-stream');
  if (found.contentLength !== undefined) response.setHeader('content-length', found.contentLength);
  response.writeHead(status);
  if (method === 'HEAD' || !found.body) {
    response.end();
    found.body?.destroy();
    return;
  }
  found.body.pipe(response);
}

function send(response: ServerResponse, status: number, contentType: string, body: string, method = 'GET'): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  response.end(method === 'HEAD' ? undefined : body);
}
