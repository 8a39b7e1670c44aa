import { startLocalS3 } from '../../scripts/lib/local-s3';

/**
 * A local S3-compatible server (s3rver) for a test file, with the uploads bucket, on a free port: the object-store
 * provider is pointed at it through S3_ENDPOINT / UPLOADS_BUCKET, exactly as `npm start` points the local stack.
 */
export async function startS3(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const s3 = await startLocalS3(null);
  Object.assign(process.env, { S3_ENDPOINT: s3.endpoint, UPLOADS_BUCKET: s3.bucket });
  return s3;
}

/** PUTs bytes to a presigned upload ticket as the mini-program does (the ticket's headers, the exact size). */
export async function putPhoto(ticket: { url: string; headers: Record<string, string> }, bytes: Uint8Array): Promise<number> {
  const res = await fetch(ticket.url, { method: 'PUT', headers: ticket.headers, body: new Uint8Array(bytes) as Uint8Array<ArrayBuffer> });
  await res.arrayBuffer();
  return res.status;
}
