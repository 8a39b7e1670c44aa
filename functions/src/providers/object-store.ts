import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/**
 * The shop's object storage for shoppers' photos (after-sales, reviews, feedback): one private S3 bucket. Shoppers
 * PUT straight to it with a presigned URL the server made for one key, one content type and one size; the server
 * later checks the object with HeadObject and shows it through short-lived presigned GETs. Locally the same code talks
 * to an S3-compatible server (s3rver, started by scripts/lib/stack.ts) named by S3_ENDPOINT.
 *
 * Environment: UPLOADS_BUCKET (the bucket), S3_ENDPOINT (local only: path-style requests to that server, with the
 * local server's fixed credentials), AWS_REGION.
 */
export interface StoredObject {
  size: number;
  contentType: string;
}

interface Store {
  bucket: string;
  client: S3Client;
}

let store: Store | undefined;
let storeEnv = '';

function objectStore(): Store {
  const bucket = process.env.UPLOADS_BUCKET;
  if (!bucket) throw new Error('missing environment variable UPLOADS_BUCKET');
  const endpoint = process.env.S3_ENDPOINT || undefined;
  // Tests point the process at another server between files: a changed environment means a new client.
  const signature = `${bucket}|${endpoint ?? ''}|${process.env.AWS_REGION ?? ''}`;
  if (store && storeEnv === signature) return store;
  const client = new S3Client({
    region: process.env.AWS_REGION && process.env.AWS_REGION !== 'local' ? process.env.AWS_REGION : 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } } : {}),
    // A presigned PUT must not carry a checksum of an empty body: the shopper's photo is not known when signing.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  store = { bucket, client };
  storeEnv = signature;
  return store;
}

/** A URL that accepts one PUT of exactly this type and size at `key` until it expires (the headers must be sent as given). */
export async function presignPut(
  key: string,
  contentType: string,
  size: number,
  expiresInSeconds: number,
): Promise<{ url: string; headers: Record<string, string> }> {
  const { bucket, client } = objectStore();
  const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType, ContentLength: size }), {
    expiresIn: expiresInSeconds,
    signableHeaders: new Set(['content-type', 'content-length']),
  });
  return { url, headers: { 'content-type': contentType } };
}

/** A URL that reads the object for a while (the bucket itself is private). */
export async function presignGet(key: string, expiresInSeconds: number): Promise<string> {
  const { bucket, client } = objectStore();
  return getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds });
}

/** The object's size and type, or null when nothing was uploaded at `key`. */
export async function headObject(key: string): Promise<StoredObject | null> {
  const { bucket, client } = objectStore();
  try {
    const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { size: out.ContentLength ?? 0, contentType: out.ContentType ?? '' };
  } catch (e) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || (e as Error).name === 'NotFound' || (e as Error).name === 'NoSuchKey') return null;
    throw e;
  }
}
