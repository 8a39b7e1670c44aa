import { z } from 'zod';
import { Cursor, EpochMs, FenAmount, Id, Label, Limit, Ref, Slug, Title, Url, page } from './common';
import { AFTER_SALE_EVENTS, AFTER_SALE_MAX_PHOTOS, AFTER_SALE_REASON_CODES, AFTER_SALE_STATES, AFTER_SALE_TYPES } from '../after-sales';

/* ───────── photo uploads (presigned S3 PUT) ───────── */

const UPLOAD_PURPOSES = ['after_sales', 'review', 'feedback'] as const;
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number];
export const UPLOAD_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
/** The largest photo a shopper may upload (bytes). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

export const CreateUploadRequest = z.object({
  purpose: z.enum(UPLOAD_PURPOSES, { errorMap: () => ({ message: '上传用途无效' }) }),
  contentType: z.enum(UPLOAD_CONTENT_TYPES, { errorMap: () => ({ message: '只能上传 JPG、PNG 或 WebP 图片' }) }),
  size: z.number().int().min(1, '图片不能为空').max(MAX_UPLOAD_BYTES, '图片不能超过 5MB'),
});
export type CreateUploadRequest = z.infer<typeof CreateUploadRequest>;

/** Where to PUT the photo (with exactly these headers) and the key to name it by afterwards. */
export const UploadTicket = z.object({
  url: Url,
  key: z.string().max(200),
  headers: z.record(z.string().max(64), z.string().max(256)),
  expiresAt: EpochMs,
});
export type UploadTicket = z.infer<typeof UploadTicket>;

/**
 * A key the upload route issued: `u/<userId>/<purpose>/<id>.<ext>`. The one way a request names a photo (售后, 评价, 追评,
 * 意见反馈); whether it was issued to this shopper for this purpose and is stored is the server's check (UPLOAD_INVALID).
 */
export const PhotoKey = z
  .string()
  .max(200, '图片编号无效')
  .regex(/^u\/[0-9A-HJKMNP-TV-Z]{26}\/(after_sales|review|feedback)\/[0-9A-HJKMNP-TV-Z]{26}\.(jpg|png|webp)$/, '图片编号无效');

/* ───────── after-sales requests ───────── */

/** `<orderId>-<n>`: the order's n-th request. */
const AfterSaleId = z.string().max(32, '售后单号无效').regex(/^[0-9A-HJKMNP-TV-Z]{26}-[1-9][0-9]{0,3}$/, '售后单号无效');
export const AfterSalePath = z.object({ afterSaleId: AfterSaleId });

const TypeSchema = z.enum(AFTER_SALE_TYPES, { errorMap: () => ({ message: '请选择售后类型' }) });
const StateSchema = z.enum(AFTER_SALE_STATES);

export const CreateAfterSaleRequest = z.object({
  orderId: Id,
  skuId: Slug,
  quantity: z.number().int().min(1, '数量至少为 1').max(999),
  type: TypeSchema,
  reason: z.enum(AFTER_SALE_REASON_CODES, { errorMap: () => ({ message: '请选择售后原因' }) }),
  description: z.string().trim().max(500, '问题描述最多 500 字').default(''),
  photoKeys: z.array(PhotoKey).max(AFTER_SALE_MAX_PHOTOS, `最多上传 ${AFTER_SALE_MAX_PHOTOS} 张图片`).default([]),
});
export type CreateAfterSaleRequest = z.infer<typeof CreateAfterSaleRequest>;

export const ShipReturnRequest = z.object({
  carrier: z.string().trim().min(1, '请填写快递公司').max(32, '快递公司最多 32 字'),
  trackingNo: z
    .string()
    .trim()
    .min(4, '快递单号格式不正确')
    .max(32, '快递单号最长 32 位')
    .regex(/^[A-Za-z0-9-]+$/, '快递单号只能包含字母、数字和 -'),
});
export type ShipReturnRequest = z.infer<typeof ShipReturnRequest>;

export const ListAfterSalesQuery = z.object({ cursor: Cursor, limit: Limit });

export const AfterSaleView = z.object({
  id: AfterSaleId,
  orderId: Id,
  type: TypeSchema,
  typeLabel: Label,
  state: StateSchema,
  stateLabel: Label,
  line: z.object({ productId: Slug, skuId: Slug, title: Title, specText: Title, image: Url }),
  quantity: z.number().int().positive(),
  reason: Ref,
  reasonLabel: Label,
  description: z.string().max(500),
  photos: z.array(z.object({ key: z.string().max(200), url: Url })),
  /** What the refund gives back: the refund rules' amount while it is planned, the refund's own once it exists. */
  refundFen: FenAmount,
  refund: z.object({ statusLabel: Label, amountFen: FenAmount }).nullable(),
  /** Where to send the goods (待退货 onwards of a 退货退款). */
  returnAddress: z.object({ name: Label, phone: Label, address: Title }).nullable(),
  returnShipment: z.object({ carrier: Label, trackingNo: Ref, at: EpochMs }).nullable(),
  rejectReason: Title.nullable(),
  /** The next party's deadline in words (e.g. 商家将在 … 前处理，逾期自动同意). */
  deadline: z.object({ at: EpochMs, text: Title }).nullable(),
  /** What the shopper can do now (from the request's transition table). */
  actions: z.array(z.enum(AFTER_SALE_EVENTS)),
  timeline: z.array(z.object({ at: EpochMs, state: StateSchema, stateLabel: Label, note: Title })),
  createdAt: EpochMs,
  updatedAt: EpochMs,
});
export type AfterSaleView = z.infer<typeof AfterSaleView>;
export const AfterSalesPage = page(AfterSaleView);
export type AfterSalesPage = z.infer<typeof AfterSalesPage>;

/* ───────── operators ───────── */

export const OpsAfterSalesQuery = z.object({ state: StateSchema.default('REQUESTED'), cursor: Cursor, limit: Limit });
export const OpsAfterSaleView = AfterSaleView.extend({ userId: Id });
export const OpsAfterSalesPage = page(OpsAfterSaleView);
export const OpsRejectRequest = z.object({ reason: z.string().trim().min(1, '请填写拒绝原因').max(200, '拒绝原因最多 200 字') });
