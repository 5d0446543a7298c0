/**
 * The local S3 endpoint refuses object keys that would leave the bucket's folder. Real S3 keys
 * are opaque strings, but s3rver stores an object at `<data>/<bucket>/<key>` on the filesystem,
 * so `incoming/../config/glossary.yaml` overwrote the deployment's glossary and
 * `incoming/../../../../x/e.txt` wrote outside the data folder. Any request whose path has a `.`
 * or `..` segment (also percent-encoded), a backslash or a NUL is answered 400 before s3rver
 * sees it. Such keys never occur in polywire's own writes.
 */
import type S3rver from 's3rver';

/**
 * Why a request path must not reach the filesystem store, or undefined when it may.
 *
 * @example
 * unsafeS3Path('/polywire-uploads/incoming/../config/glossary.yaml'); // 'a ".." segment'
 */
export function unsafeS3Path(pathname: string): string | undefined {
  for (const raw of pathname.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return 'malformed percent-encoding';
    }
    if (segment === '.' || segment === '..') return `a "${segment}" segment`;
    // Decoded separators would make new segments on the filesystem (and `\` is one on Windows).
    if (segment.includes('/') && segment.split('/').some((part) => part === '.' || part === '..')) return 'an encoded ".." segment';
    if (segment.includes('\\')) return 'a backslash';
    if (segment.includes('\0')) return 'a NUL character';
  }
  return undefined;
}

interface KoaContext {
  path: string;
  status: number;
  type: string;
  body: unknown;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void> | void;

/** Puts the key guard in front of every other s3rver middleware (call before `run()`). */
export function guardS3Keys(s3: S3rver): void {
  const app = s3 as unknown as { middleware: Middleware[] };
  if (!Array.isArray(app.middleware)) throw new Error('s3rver is no longer a Koa app; move the key guard');
  app.middleware.unshift(async (ctx, next) => {
    const problem = unsafeS3Path(ctx.path);
    if (!problem) return next();
    ctx.status = 400;
    ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code><Message>The local S3 endpoint refuses object keys with ${problem}: they would be stored outside the bucket's folder.</Message><Resource>${escapeXml(ctx.path)}</Resource></Error>`;
  });
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
