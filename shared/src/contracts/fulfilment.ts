import { z } from 'zod';
import { Cursor, EpochMs, FenAmount, Id, Label, Ref, Title, page } from './common';
import { ORDER_STATUSES } from '../order-lifecycle';
import { MAX_PARCELS, TRACKING_STAGES } from '../fulfilment';

/* ───────── shoppers: parcels and their timelines ───────── */

const TrackingStageSchema = z.enum(TRACKING_STAGES);

const TrackingEventView = z.object({ at: EpochMs, stage: TrackingStageSchema, stageLabel: Label, text: Title });

const ParcelView = z.object({
  parcelNo: z.number().int().min(1).max(MAX_PARCELS),
  carrier: Ref,
  carrierName: Label,
  trackingNo: Ref,
  lines: z.array(z.object({ skuId: Ref, title: Title, quantity: z.number().int().positive() })),
  shippedAt: EpochMs,
  stage: TrackingStageSchema,
  stageLabel: Label,
  deliveredAt: EpochMs.nullable(),
  /** Newest first. */
  events: z.array(TrackingEventView),
});

export const TrackingView = z.object({
  orderId: Id,
  parcels: z.array(ParcelView),
  /** When the order will be received by itself unless the shopper confirms first (null when not shipped). */
  autoReceiptAt: EpochMs.nullable(),
});
export type TrackingView = z.infer<typeof TrackingView>;

/* ───────── operators ───────── */

export const OpsOrdersQuery = z.object({
  status: z.enum(ORDER_STATUSES).default('PAID'),
  /** Created at or after / before (UTC epoch ms); at most 92 days apart; defaults to the last 30 days. */
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  cursor: Cursor,
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type OpsOrdersQuery = z.infer<typeof OpsOrdersQuery>;

const OpsOrderRow = z.object({
  id: Id,
  status: z.enum(ORDER_STATUSES),
  statusLabel: Label,
  createdAt: EpochMs,
  paidAt: EpochMs.nullable(),
  payableFen: FenAmount,
  /** 是否可发货 now (a group order only after its group succeeded). */
  shippable: z.boolean(),
  receiver: Label,
  phone: Label,
  address: Title,
  lines: z.array(z.object({ skuId: Ref, title: Title, specText: Title, quantity: z.number().int().positive() })),
  remark: Title,
});
export const OpsOrdersPage = page(OpsOrderRow);
export type OpsOrdersPage = z.infer<typeof OpsOrdersPage>;

const TrackingNo = z
  .string()
  .min(4, '快递单号格式不正确')
  .max(32, '快递单号最长 32 位')
  .regex(/^[A-Za-z0-9-]+$/, '快递单号只能包含字母、数字和 -');

const ParcelInput = z.object({
  carrier: z.string().max(32),
  trackingNo: TrackingNo,
  /** Which lines (and how many of each) this parcel holds; absent = every line in full (single-parcel shipping). */
  lines: z.array(z.object({ skuId: Ref, quantity: z.number().int().positive().max(9999) })).max(100).optional(),
});

export const ShipRequest = z.object({
  parcels: z.array(ParcelInput).min(1, '至少填写一个包裹').max(MAX_PARCELS, `一个订单最多 ${MAX_PARCELS} 个包裹`),
  /** false: more parcels follow (POST again with the rest); true (default): everything has been sent. */
  isAllDelivered: z.boolean().default(true),
});
export type ShipRequest = z.input<typeof ShipRequest>;

export const ShipResponse = z.object({ orderId: Id, status: z.enum(ORDER_STATUSES), parcels: z.number().int(), allDelivered: z.boolean() });

export const OpsLogQuery = z.object({ cursor: Cursor, limit: z.coerce.number().int().min(1).max(200).default(50) });
const OpsLogEntry = z.object({ at: EpochMs, actor: Title, action: Ref, target: Ref, summary: Title });
export const OpsLogPage = page(OpsLogEntry);

/* ───────── callbacks ───────── */

/** What the shop answers 快递100's push (its documented success body). */
export const Kuaidi100PushAnswer = z.object({ result: z.boolean(), returnCode: Ref, message: Label });
