// Serving the built console (dist/console) under /console/. Hashed assets are
// cached for good; every other path under /console/ is the single-page app's
// index.html (client-side routes such as /console/enis/eni-...).
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Headers every console page carries: no framing, no sniffing, scripts only from here. */
const PAGE_SECURITY_HEADERS: Record<string, string> = {
  // antd injects its CSS-in-JS as <style> elements, hence 'unsafe-inline' for styles only.
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

export interface StaticFile {
  status: number;
  body: Buffer | string;
  headers: Record<string, string>;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>eniplane console</title>
<h1>The console is not built</h1>
<p>Build it once with <code>npx vite build --config src/console/vite.config.ts</code> (or run <code>npm start</code>, which does it), then reload.</p>`;

/**
 * Resolves a path below /console/ (already stripped of the prefix and the
 * query) to a file in `dir`. Paths that try to leave `dir` are 404s.
 */
export async function consoleFile(dir: string, subPath: string): Promise<StaticFile> {
  const root = resolve(dir);
  let rel: string;
  try {
    rel = decodeURIComponent(subPath);
  } catch {
    return { status: 400, body: 'bad path', headers: { 'content-type': 'text/plain' } };
  }
  const isAsset = rel.startsWith('assets/');
  if (rel.includes('\0')) return { status: 404, body: 'not found', headers: { 'content-type': 'text/plain' } };
  const candidate = resolve(join(root, rel));
  if (candidate !== root && !candidate.startsWith(root + sep))
    return { status: 404, body: 'not found', headers: { 'content-type': 'text/plain' } };
  if (rel !== '' && (await isFile(candidate))) {
    return {
      status: 200,
      body: await readFile(candidate),
      headers: {
        'content-type': TYPES[extname(candidate)] ?? 'application/octet-stream',
        'cache-control': isAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
        'x-content-type-options': 'nosniff',
        // /console/index.html asked for by name is the app too: same policy as the fallback below.
        ...(extname(candidate) === '.html' ? PAGE_SECURITY_HEADERS : {}),
      },
    };
  }
  // A missing hashed asset is a real 404 (a stale page after a rebuild), not the app.
  if (isAsset || extname(rel) !== '') return { status: 404, body: 'not found', headers: { 'content-type': 'text/plain' } };
  const index = join(root, 'index.html');
  if (!(await isFile(index)))
    return { status: 503, body: NOT_BUILT, headers: { 'content-type': 'text/html; charset=utf-8', ...PAGE_SECURITY_HEADERS } };
  return {
    status: 200,
    body: await readFile(index),
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...PAGE_SECURITY_HEADERS },
  };
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
