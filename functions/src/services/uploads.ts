import { DomainError, MAX_UPLOAD_BYTES, UPLOAD_CONTENT_TYPES, type CreateUploadRequest, type UploadPurpose, type UploadTicket } from '@shop/shared';
import { newId } from '../lib/ids';
import { headObject, presignGet, presignPut } from '../providers/object-store';

/** How long a presigned PUT stays usable, and how long a shown photo's link works. */
const PUT_TTL_SECONDS = 10 * 60;
const GET_TTL_SECONDS = 60 * 60;

const EXT: Record<(typeof UPLOAD_CONTENT_TYPES)[number], string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** The folder of a shopper's uploads for one purpose: every key the shop issues them starts with it. */
const folder = (userId: string, purpose: UploadPurpose) => `u/${userId}/${purpose}/`;

/**
 * POST /v1/uploads: a presigned PUT for one photo of this shopper, for one purpose, of exactly this type and size. The
 * key names the shopper, so a key is only ever accepted back from the shopper it was issued to.
 */
export async function createUpload(userId: string, req: CreateUploadRequest, now: number): Promise<UploadTicket> {
  const key = `${folder(userId, req.purpose)}${newId(now)}.${EXT[req.contentType]}`;
  const { url, headers } = await presignPut(key, req.contentType, req.size, PUT_TTL_SECONDS);
  return { url, key, headers, expiresAt: now + PUT_TTL_SECONDS * 1000 };
}

/**
 * The photos a request names, checked before it is accepted: each key was issued to this shopper for this purpose,
 * and a photo of an allowed type and size is stored under it. Returns the keys without repeats, in the order given.
 */
export async function checkPhotos(userId: string, purpose: UploadPurpose, photoKeys: readonly string[]): Promise<string[]> {
  const unique = [...new Set(photoKeys)];
  const mine = folder(userId, purpose);
  for (const key of unique) if (!key.startsWith(mine)) throw new DomainError('UPLOAD_INVALID', '图片无效：只能使用你本人上传的图片', { key });
  const stored = await Promise.all(unique.map((key) => headObject(key)));
  stored.forEach((object, i) => {
    if (!object) throw new DomainError('UPLOAD_INVALID', '图片尚未上传成功，请重新上传', { key: unique[i] });
    const allowed = (UPLOAD_CONTENT_TYPES as readonly string[]).includes(object.contentType);
    if (!allowed || object.size < 1 || object.size > MAX_UPLOAD_BYTES) {
      throw new DomainError('UPLOAD_INVALID', '图片格式或大小不符合要求，请重新上传', { key: unique[i], ...object });
    }
  });
  return unique;
}

/** Links that show the stored photos for a while. */
export async function photoLinks(photoKeys: readonly string[]): Promise<{ key: string; url: string }[]> {
  return Promise.all(photoKeys.map(async (key) => ({ key, url: await presignGet(key, GET_TTL_SECONDS) })));
}
