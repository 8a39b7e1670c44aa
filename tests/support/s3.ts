import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

/**
 * A local S3-compatible server (s3rver) for a test file, with the uploads bucket, on a free port: the object-store
 * provider is pointed at it through S3_ENDPOINT / UPLOADS_BUCKET, exactly as `npm start` points the local stack.
 */
export async function startS3(bucket = 'shop-uploads'): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  Object.assign(process.env, { S3_ENDPOINT: endpoint, UPLOADS_BUCKET: bucket });
  return {
    endpoint,
    stop: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** PUTs bytes to a presigned upload ticket as the mini-program does (the ticket's headers, the exact size). */
export async function putPhoto(ticket: { url: string; headers: Record<string, string> }, bytes: Uint8Array): Promise<number> {
  const res = await fetch(ticket.url, { method: 'PUT', headers: ticket.headers, body: new Uint8Array(bytes) as Uint8Array<ArrayBuffer> });
  await res.arrayBuffer();
  return res.status;
}
