import type { TrackingStage } from '@shop/shared';

export interface TrackingEventReport {
  /** UTC epoch ms (快递100 reports Beijing time). */
  at: number;
  stage: TrackingStage;
  text: string;
}

/** What the tracking service says about one parcel. */
export interface TrackingReport {
  carrier: string;
  trackingNo: string;
  stage: TrackingStage;
  /** Oldest first. */
  events: TrackingEventReport[];
  /** When it was signed for (已签收), or null. */
  deliveredAt: number | null;
}

export interface ParcelRef {
  /** 快递100's `com` (our carrier codes are the same). */
  carrier: string;
  trackingNo: string;
  /** The receiver's phone: 顺丰 needs it (the last four digits are checked). */
  phone?: string;
}

/** A parcel-tracking service: push subscription, query, and the verification of its pushes. */
export interface Logistics {
  /** Ask for pushes of this parcel's progress to `callbackUrl` (repeating a subscription is harmless). */
  subscribe(parcel: ParcelRef, callbackUrl: string): Promise<void>;
  query(parcel: ParcelRef): Promise<TrackingReport>;
  /** A push as received (form fields): the report when its signature is right, null otherwise. */
  verifyPush(form: Record<string, string>): Promise<TrackingReport | null>;
}
