import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  stop(): Promise<void>;
}

/** The browser PUTs photos straight to the bucket from the H5 shop's origin, and pages show them from it. */
const CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><MaxAgeSeconds>3600</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

/**
 * An S3-compatible server (s3rver) with the shop's uploads bucket: what the object-store provider talks to on the local
 * stage (S3_ENDPOINT, UPLOADS_BUCKET). `directory` keeps the objects (null: a temporary folder removed on stop);
 * port 0 picks a free one.
 */
export async function startLocalS3(directory: string | null, port = 0, bucket = 'shop-uploads'): Promise<LocalS3> {
  const dir = directory ?? fs.mkdtempSync(path.join(os.tmpdir(), 'shop-s3-'));
  fs.mkdirSync(dir, { recursive: true });
  const server = new S3rver({ port, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: bucket, configs: [CORS] }] });
  const address = (await server.run()) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    stop: async () => {
      await server.close();
      if (!directory) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
