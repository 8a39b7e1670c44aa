import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './dynamodb-local';
import { startWebServer } from './web-server';

/** A raw GET (fetch would decompress and hide the encoding). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('the H5 web server', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-web-'));
  const script = `console.log(${JSON.stringify('好物商城 '.repeat(2000))});\n`;
  let base = '';
  let server: http.Server;

  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, 'h5/js'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'images'));
    fs.writeFileSync(path.join(dir, 'h5/index.html'), `<!DOCTYPE html><html><body>${'<p>首页</p>'.repeat(200)}</body></html>`);
    fs.writeFileSync(path.join(dir, 'h5/js/app.1a2b3c4d.js'), script);
    fs.writeFileSync(path.join(dir, 'h5/favicon.svg'), `<svg xmlns="http://www.w3.org/2000/svg">${' '.repeat(1000)}</svg>`);
    const port = await freePort();
    server = await startWebServer({ port, h5Dir: path.join(dir, 'h5'), imagesDir: path.join(dir, 'images'), apiPort: await freePort() });
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends brotli when the browser accepts it, and the bytes decode to the file', async () => {
    const res = await get(`${base}/js/app.1a2b3c4d.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(Buffer.byteLength(script) / 5);
    expect(zlib.brotliDecompressSync(res.body).toString()).toBe(script);
  });

  it('sends gzip to a browser without brotli, and plain bytes to one that accepts neither', async () => {
    const gz = await get(`${base}/js/app.1a2b3c4d.js`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).toString()).toBe(script);

    const refused = await get(`${base}/js/app.1a2b3c4d.js`, { 'accept-encoding': 'br;q=0, gzip' });
    expect(refused.headers['content-encoding']).toBe('gzip');

    const plain = await get(`${base}/js/app.1a2b3c4d.js`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it('lets browsers keep hashed assets for a year and revalidate index.html and unhashed files', async () => {
    const hashed = await get(`${base}/js/app.1a2b3c4d.js`, { 'accept-encoding': 'br' });
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const index = await get(`${base}/`, { 'accept-encoding': 'br' });
    expect(index.headers['content-type']).toContain('text/html');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(zlib.brotliDecompressSync(index.body).toString()).toContain('<p>首页</p>');

    const icon = await get(`${base}/favicon.svg`);
    expect(icon.headers['cache-control']).not.toContain('immutable');
  });

  it('serves the new bytes after a rebuild replaces a file', async () => {
    const file = path.join(dir, 'h5/favicon.svg');
    const next = `<svg xmlns="http://www.w3.org/2000/svg"><title>新</title>${' '.repeat(2000)}</svg>`;
    await get(`${base}/favicon.svg`, { 'accept-encoding': 'br' });
    fs.writeFileSync(file, next);
    const res = await get(`${base}/favicon.svg`, { 'accept-encoding': 'br' });
    expect(zlib.brotliDecompressSync(res.body).toString()).toBe(next);
  });
});
