import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

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
};

function sendFile(res: http.ServerResponse, file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return false;
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': stat.size,
      'cache-control': file.endsWith('.html') ? 'no-cache' : 'public, max-age=300',
    });
    fs.createReadStream(file).pipe(res);
    return true;
  } catch {
    return false;
  }
}

/**
 * Serves the H5 build and the catalog images, and forwards /v1/* to the local API, so the app, its images and its
 * API share one origin (no CORS in the browser, and the same relative URLs as behind a CDN in production).
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
    const decoded = decodeURIComponent(url.pathname);
    if (decoded.startsWith('/catalog-images/')) {
      const file = path.join(imagesRoot, path.basename(decoded));
      if (sendFile(res, file)) return;
    } else {
      const file = path.join(h5Root, path.normalize(decoded).replace(/^([/\\])+/, ''));
      if (file.startsWith(h5Root) && sendFile(res, file)) return;
      if (!path.extname(decoded) && sendFile(res, path.join(h5Root, 'index.html'))) return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve(server));
  });
}
