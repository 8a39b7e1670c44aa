/**
 * Campaign quotas: counters in the table, guarded by conditional writes exactly like stock. The limits themselves
 * (quota, per-user limit) come from the campaign configuration of the moment.
 *
 *   flash-sale quota   FLASH#<campaignId>#<skuId> / QUOTA                {sold}
 *   flash per shopper  USER#<uid> / FLASHBOUGHT#<campaignId>#<skuId>     {bought}
 *   gift quota         GIFT#<campaignId> / QUOTA                          {given}
 */
import { flashKey, type PromotionUsage } from '@shop/shared';
import { table } from '../lib/dynamo';
import { batchGet, keyId } from './batch';
import { keys, type Key } from './keys';
import type { LabelledItem } from './transactions';

export interface FlashRef {
  campaignId: string;
  skuId: string;
}
export interface FlashTake extends FlashRef {
  quantity: number;
  quota: number;
  perUserLimit: number;
}
export interface GiftTake {
  campaignId: string;
  quantity: number;
  quota: number;
}
export interface QuotaReturn {
  flash: (FlashRef & { quantity: number })[];
  gifts: { campaignId: string; quantity: number }[];
  /** Units of a group deal (its stock quota and the shopper's per-user count). */
  group?: { campaignId: string; quantity: number }[];
}
export interface GroupTake {
  campaignId: string;
  quantity: number;
  quota: number;
  perUserLimit: number;
}

export const campaignRepo = {
  /** The counters a checkout's price depends on; read in the same BatchGet as the catalog. */
  usageKeys(userId: string, flash: FlashRef[], giftCampaignIds: string[]): Key[] {
    return [
      ...flash.flatMap((f) => [keys.flashQuota(f.campaignId, f.skuId), keys.flashBought(userId, f.campaignId, f.skuId)]),
      ...giftCampaignIds.map((id) => keys.giftQuota(id)),
    ];
  },

  usageFrom(found: Map<string, Record<string, unknown>>, userId: string, flash: FlashRef[], giftCampaignIds: string[]): PromotionUsage {
    const usage: Required<PromotionUsage> = { flashSold: {}, flashBoughtByUser: {}, giftsGiven: {} };
    for (const f of flash) {
      const k = flashKey(f.campaignId, f.skuId);
      usage.flashSold[k] = Number(found.get(keyId(keys.flashQuota(f.campaignId, f.skuId)))?.sold ?? 0);
      usage.flashBoughtByUser[k] = Number(found.get(keyId(keys.flashBought(userId, f.campaignId, f.skuId)))?.bought ?? 0);
    }
    for (const id of giftCampaignIds) usage.giftsGiven[id] = Number(found.get(keyId(keys.giftQuota(id)))?.given ?? 0);
    return usage;
  },

  /** Units sold per flash-sale item (home page; eventually consistent is enough for a progress bar). */
  async flashSold(refs: FlashRef[]): Promise<Map<string, number>> {
    if (refs.length === 0) return new Map();
    const found = await batchGet(refs.map((r) => keys.flashQuota(r.campaignId, r.skuId)), { consistent: false });
    return new Map(refs.map((r) => [flashKey(r.campaignId, r.skuId), Number(found.get(keyId(keys.flashQuota(r.campaignId, r.skuId)))?.sold ?? 0)]));
  },

  /**
   * Takes flash-sale units and gifts for an order, inside the order's transaction. `sold <= quota - q` (rather than
   * `sold + q <= quota`, which DynamoDB cannot express) keeps the quota exact under any concurrency.
   */
  takeItems(userId: string, flash: FlashTake[], gifts: GiftTake[], group: GroupTake[] = []): LabelledItem[] {
    const items: LabelledItem[] = [];
    for (const g of group) {
      items.push(
        {
          label: `groupQuota:${g.campaignId}`,
          Update: {
            TableName: table(),
            Key: keys.groupQuota(g.campaignId),
            UpdateExpression: 'SET campaignId = :cid ADD sold :q',
            ConditionExpression: 'attribute_not_exists(sold) OR sold <= :room',
            ExpressionAttributeValues: { ':cid': g.campaignId, ':q': g.quantity, ':room': g.quota - g.quantity },
          },
        },
        {
          label: `groupLimit:${g.campaignId}`,
          Update: {
            TableName: table(),
            Key: keys.groupBought(userId, g.campaignId),
            UpdateExpression: 'ADD bought :q',
            ConditionExpression: 'attribute_not_exists(bought) OR bought <= :room',
            ExpressionAttributeValues: { ':q': g.quantity, ':room': g.perUserLimit - g.quantity },
          },
        },
      );
    }
    for (const f of flash) {
      if (f.quantity > f.quota || f.quantity > f.perUserLimit) throw new RangeError(`flash quantity ${f.quantity} above its limits for ${f.skuId}`);
      items.push(
        {
          label: `flash:${f.campaignId}#${f.skuId}`,
          Update: {
            TableName: table(),
            Key: keys.flashQuota(f.campaignId, f.skuId),
            UpdateExpression: 'SET campaignId = :cid, skuId = :sku ADD sold :q',
            ConditionExpression: 'attribute_not_exists(sold) OR sold <= :room',
            ExpressionAttributeValues: { ':cid': f.campaignId, ':sku': f.skuId, ':q': f.quantity, ':room': f.quota - f.quantity },
          },
        },
        {
          label: `flashLimit:${f.campaignId}#${f.skuId}`,
          Update: {
            TableName: table(),
            Key: keys.flashBought(userId, f.campaignId, f.skuId),
            UpdateExpression: 'ADD bought :q',
            ConditionExpression: 'attribute_not_exists(bought) OR bought <= :room',
            ExpressionAttributeValues: { ':q': f.quantity, ':room': f.perUserLimit - f.quantity },
          },
        },
      );
    }
    for (const g of gifts) {
      if (g.quantity > g.quota) throw new RangeError(`gift quantity ${g.quantity} above the quota of ${g.campaignId}`);
      items.push({
        label: `gift:${g.campaignId}`,
        Update: {
          TableName: table(),
          Key: keys.giftQuota(g.campaignId),
          UpdateExpression: 'SET campaignId = :cid ADD given :q',
          ConditionExpression: 'attribute_not_exists(given) OR given <= :room',
          ExpressionAttributeValues: { ':cid': g.campaignId, ':q': g.quantity, ':room': g.quota - g.quantity },
        },
      });
    }
    return items;
  },

  /** Gives an order's flash-sale units and gifts back (cancel, timeout, full refund), in that transaction. */
  returnItems(userId: string, back: QuotaReturn): LabelledItem[] {
    return [
      ...(back.group ?? []).flatMap<LabelledItem>((g) => [
        {
          label: `groupQuota:${g.campaignId}`,
          Update: {
            TableName: table(),
            Key: keys.groupQuota(g.campaignId),
            UpdateExpression: 'ADD sold :negq',
            ConditionExpression: 'attribute_exists(sold)',
            ExpressionAttributeValues: { ':negq': -g.quantity },
          },
        },
        {
          label: `groupLimit:${g.campaignId}`,
          Update: {
            TableName: table(),
            Key: keys.groupBought(userId, g.campaignId),
            UpdateExpression: 'ADD bought :negq',
            ConditionExpression: 'attribute_exists(bought)',
            ExpressionAttributeValues: { ':negq': -g.quantity },
          },
        },
      ]),
      ...back.flash.flatMap<LabelledItem>((f) => [
        {
          label: `flash:${f.campaignId}#${f.skuId}`,
          Update: {
            TableName: table(),
            Key: keys.flashQuota(f.campaignId, f.skuId),
            UpdateExpression: 'ADD sold :negq',
            ConditionExpression: 'attribute_exists(sold)',
            ExpressionAttributeValues: { ':negq': -f.quantity },
          },
        },
        {
          label: `flashLimit:${f.campaignId}#${f.skuId}`,
          Update: {
            TableName: table(),
            Key: keys.flashBought(userId, f.campaignId, f.skuId),
            UpdateExpression: 'ADD bought :negq',
            ConditionExpression: 'attribute_exists(bought)',
            ExpressionAttributeValues: { ':negq': -f.quantity },
          },
        },
      ]),
      ...back.gifts.map<LabelledItem>((g) => ({
        label: `gift:${g.campaignId}`,
        Update: {
          TableName: table(),
          Key: keys.giftQuota(g.campaignId),
          UpdateExpression: 'ADD given :negq',
          ConditionExpression: 'attribute_exists(given)',
          ExpressionAttributeValues: { ':negq': -g.quantity },
        },
      })),
    ];
  },
};
