import { BatchGetCommand, PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../lib/dynamo';
import { CATALOG, keys, SHELF } from './keys';

export interface CategoryItem {
  id: string;
  name: string;
  icon: string;
  sortOrder: number;
}
export interface ProductItem {
  type: 'product';
  id: string;
  categoryId: string;
  title: string;
  subtitle: string;
  description: string;
  images: string[];
  /** 商品详情 pictures after the description, and the 服务保障 the product offers (both optional attributes). */
  detailImages?: string[];
  guarantees?: { title: string; note: string }[];
  specDimensions: { name: string; values: string[] }[];
  keywords: string[];
  onShelf: boolean;
  createdAt: number;
}
export interface SkuItem {
  type: 'sku';
  id: string;
  productId: string;
  categoryId: string;
  specs: Record<string, string>;
  specText: string;
  priceFen: number;
  originalPriceFen: number | null;
  /** Available stock; only ever changed by conditional arithmetic. */
  stock: number;
  sold: number;
  image: string | null;
}

async function queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db().send(new QueryCommand({ TableName: table(), ...input, ExclusiveStartKey }));
    items.push(...(out.Items ?? []));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

function strip<T>(item: Record<string, unknown>): T {
  const { PK: _a, SK: _b, GSI1PK: _c, GSI1SK: _d, ...rest } = item;
  return rest as T;
}

export const catalogRepo = {
  async categories(): Promise<CategoryItem[]> {
    const items = await queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': CATALOG, ':p': keys.categoryPrefix },
    });
    return items
      .map((i) => {
        const { type: _type, ...category } = strip<CategoryItem & { type?: string }>(i);
        return category;
      })
      .sort((a, b) => a.sortOrder - b.sortOrder);
  },

  /** Every product and SKU on the shelf index (eventually consistent; for listings and search). */
  async shelf(): Promise<{ products: ProductItem[]; skus: SkuItem[] }> {
    const items = await queryAll({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': SHELF },
    });
    const products: ProductItem[] = [];
    const skus: SkuItem[] = [];
    for (const i of items) (i.type === 'product' ? products : skus).push(strip(i) as never);
    return { products, skus };
  },

  /** A product and all its SKUs, strongly consistent (detail page, stock). */
  async product(productId: string): Promise<{ product: ProductItem; skus: SkuItem[] } | null> {
    const items = await queryAll({
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.productPartition(productId) },
      ConsistentRead: true,
    });
    const product = items.find((i) => i.type === 'product');
    if (!product) return null;
    return {
      product: strip<ProductItem>(product),
      skus: items.filter((i) => i.type === 'sku').map((i) => strip<SkuItem>(i)),
    };
  },

  /**
   * SKUs and their products by id, in one BatchGetItem (strongly consistent), plus any extra keys the caller needs
   * in the same round trip (e.g. the shipping address at checkout).
   */
  async skusWithProducts(
    refs: { productId: string; skuId: string }[],
    extra: { PK: string; SK: string }[] = [],
  ): Promise<{ skus: Map<string, SkuItem>; products: Map<string, ProductItem>; extra: Record<string, unknown>[] }> {
    const wanted = new Map<string, { PK: string; SK: string }>();
    for (const r of refs) {
      const p = keys.product(r.productId);
      const s = keys.sku(r.productId, r.skuId);
      wanted.set(`${p.PK}|${p.SK}`, p);
      wanted.set(`${s.PK}|${s.SK}`, s);
    }
    for (const k of extra) wanted.set(`${k.PK}|${k.SK}`, k);
    const found: Record<string, unknown>[] = [];
    let pending = [...wanted.values()];
    while (pending.length) {
      const chunk = pending.slice(0, 100);
      pending = pending.slice(100);
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
        [table()]: { Keys: chunk, ConsistentRead: true },
      };
      for (let attempt = 0; request && Object.keys(request).length; attempt++) {
        const out = await db().send(new BatchGetCommand({ RequestItems: request }));
        found.push(...(out.Responses?.[table()] ?? []));
        request = out.UnprocessedKeys as typeof request;
        if (request && Object.keys(request).length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      }
    }
    const skus = new Map<string, SkuItem>();
    const products = new Map<string, ProductItem>();
    const rest: Record<string, unknown>[] = [];
    for (const i of found) {
      if (i.type === 'sku') skus.set(i.id as string, strip(i));
      else if (i.type === 'product') products.set(i.id as string, strip(i));
      else rest.push(i);
    }
    return { skus, products, extra: rest };
  },

  async putCategory(c: CategoryItem): Promise<void> {
    await db().send(new PutCommand({ TableName: table(), Item: { ...keys.category(c.id), type: 'category', ...c } }));
  },
  async putProduct(p: ProductItem): Promise<void> {
    await db().send(
      new PutCommand({ TableName: table(), Item: { ...keys.product(p.id), ...keys.productShelf(p.categoryId, p.id), ...p } }),
    );
  },
  async putSku(s: SkuItem): Promise<void> {
    await db().send(
      new PutCommand({
        TableName: table(),
        Item: { ...keys.sku(s.productId, s.id), ...keys.skuShelf(s.categoryId, s.productId, s.id), ...s },
      }),
    );
  },
};
