import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** Text formats worth compressing (images and fonts are compressed already). */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt', '.ico']);

/** A file name with a content hash (`app.1a2b3c4d.js`): its bytes never change, so a browser may keep it for a year. */
const HASHED = /\.[0-9a-f]{8,}\.[a-z0-9]+$/i;

type Encoding = 'br' | 'gzip' | 'identity';

/** Below this, compressing saves less than the header costs. */
const MIN_COMPRESS = 512;

/** The best encoding the client accepts (brotli first), honouring `;q=0`. */
function pickEncoding(acceptEncoding: string | undefined): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

interface Cached {
  mtimeMs: number;
  size: number;
  bytes: Partial<Record<Encoding, Promise<Buffer>>>;
}

/**
 * Compressed bytes are made once per file version (by modification time and size) and kept in memory: the H5 build
 * is a few MB of text, and brotli at quality 11 is too slow to run on every request. The server compresses the whole
 * build in the background when it starts, so the first visitor already gets cached bytes.
 */
const compressed = new Map<string, Cached>();
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

function encodedBytes(file: string, stat: fs.Stats, encoding: Exclude<Encoding, 'identity'>): Promise<Buffer> {
  let entry = compressed.get(file);
  if (!entry || entry.mtimeMs !== stat.mtimeMs || entry.size !== stat.size) {
    entry = { mtimeMs: stat.mtimeMs, size: stat.size, bytes: {} };
    compressed.set(file, entry);
  }
  const have = entry.bytes[encoding];
  if (have) return have;
  const made = fs.promises.readFile(file).then((raw) =>
    encoding === 'br'
      ? brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
      : gzip(raw, { level: 9 }),
  );
  entry.bytes[encoding] = made;
  made.catch(() => compressed.delete(file));
  return made;
}

/** Compresses every text file of the build ahead of the first request (one file at a time: the machine is shared). */
async function precompress(root: string): Promise<void> {
  const files = (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile() && COMPRESSIBLE.has(path.extname(d.name)))
    .map((d) => path.join(d.parentPath, d.name));
  for (const file of files) {
    try {
      const stat = fs.statSync(file);
      if (stat.size <= MIN_COMPRESS) continue;
      await encodedBytes(file, stat, 'br');
      await encodedBytes(file, stat, 'gzip');
    } catch {
      /* a rebuild replaced it: compressed on request instead */
    }
  }
}

function cacheControl(file: string): string {
  if (file.endsWith('.html')) return 'no-cache';
  if (HASHED.test(path.basename(file))) return 'public, max-age=31536000, immutable';
  return 'public, max-age=300';
}

function sendFile(req: http.IncomingMessage, res: http.ServerResponse, file: string): boolean {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return false;
  }
  if (!stat.isFile()) return false;
  const ext = path.extname(file);
  const headers: http.OutgoingHttpHeaders = {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'cache-control': cacheControl(file),
  };
  const head = req.method === 'HEAD';
  const encoding = COMPRESSIBLE.has(ext) && stat.size > MIN_COMPRESS ? pickEncoding(req.headers['accept-encoding']) : 'identity';
  if (COMPRESSIBLE.has(ext)) headers.vary = 'Accept-Encoding';
  if (encoding !== 'identity') {
    encodedBytes(file, stat, encoding).then(
      (body) => {
        res.writeHead(200, { ...headers, 'content-encoding': encoding, 'content-length': body.length });
        res.end(head ? undefined : body);
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('read failed');
      },
    );
    return true;
  }
  res.writeHead(200, { ...headers, 'content-length': stat.size });
  if (head) res.end();
  else fs.createReadStream(file).pipe(res);
  return true;
}

/**
 * Serves the H5 build and the catalog images, and forwards /v1/* to the local API, so the app, its images and its
 * API share one origin (no CORS in the browser, and the same relative URLs as behind a CDN in production).
 * Text is sent brotli- or gzip-compressed as the browser accepts; hashed assets are cached for a year, index.html
 * is revalidated on every load.
 */
export function startWebServer(options: { port: number; h5Dir: string; imagesDir: string; apiPort: number }): Promise<http.Server> {
  const h5Root = path.resolve(options.h5Dir);
  const imagesRoot = path.resolve(options.imagesDir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/v1/')) {
      const upstream = http.request(
        { host: '127.0.0.1', port: options.apiPort, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${options.apiPort}` } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ code: 'INTERNAL', message: '服务暂时不可用，请稍后再试' }));
      });
      req.pipe(upstream);
      return;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      decoded = url.pathname;
    }
    if (decoded.startsWith('/catalog-images/')) {
      const file = path.join(imagesRoot, path.basename(decoded));
      if (sendFile(req, res, file)) return;
    } else {
      const file = path.join(h5Root, path.normalize(decoded).replace(/^([/\\])+/, ''));
      if (file.startsWith(h5Root) && sendFile(req, res, file)) return;
      if (!path.extname(decoded) && sendFile(req, res, path.join(h5Root, 'index.html'))) return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      if (fs.existsSync(h5Root)) void precompress(h5Root);
      resolve(server);
    });
  });
}
