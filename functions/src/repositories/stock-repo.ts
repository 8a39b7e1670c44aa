/**
 * Stock moves, in one place: every write of a SKU's `stock`/`sold` is one of these transaction items, used by order
 * placement, cancel/timeout, late payments and refunds.
 */
import { table } from '../lib/dynamo';
import { keys } from './keys';
import type { LabelledItem } from './transactions';
import type { StockMove } from '../domain/order';

export const stockRepo = {
  /**
   * Takes units only while enough remain (labelled `sku:<skuId>`); with `priceFen`, only while the list price is
   * still the one quoted. On refusal DynamoDB returns the SKU as it was, so the refusal can say what changed.
   */
  takeItems(moves: (StockMove & { priceFen?: number })[]): LabelledItem[] {
    return moves.map((s) => ({
      label: `sku:${s.skuId}`,
      Update: {
        TableName: table(),
        Key: keys.sku(s.productId, s.skuId),
        UpdateExpression: 'SET stock = stock - :q, sold = sold + :q',
        ConditionExpression: `attribute_exists(PK) AND stock >= :q${s.priceFen === undefined ? '' : ' AND priceFen = :price'}`,
        ExpressionAttributeValues: { ':q': s.quantity, ...(s.priceFen === undefined ? {} : { ':price': s.priceFen }) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    }));
  },

  /** Puts units back on sale (labelled `restock:<skuId>`). */
  returnItems(moves: StockMove[]): LabelledItem[] {
    return moves.map((m) => ({
      label: `restock:${m.skuId}`,
      Update: {
        TableName: table(),
        Key: keys.sku(m.productId, m.skuId),
        UpdateExpression: 'ADD stock :q, sold :negq',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':q': m.quantity, ':negq': -m.quantity },
      },
    }));
  },
};
