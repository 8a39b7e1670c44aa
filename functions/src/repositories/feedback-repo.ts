/** 意见反馈: stored once per id, listed newest first for operators (GSI1 `FEEDBACK`). */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../lib/dynamo';
import { keys } from './keys';

/** 意见反馈 as stored. */
export interface FeedbackItem {
  id: string;
  userId: string;
  type: string;
  text: string;
  photos: string[];
  contactConsent: boolean;
  phone: string | null;
  createdAt: number;
}

export const feedbackRepo = {
  async put(f: FeedbackItem): Promise<void> {
    const { type: kind, ...rest } = f;
    await db().send(
      new PutCommand({
        TableName: table(),
        Item: { ...keys.feedback(f.id), ...keys.feedbackIndex(f.createdAt, f.id), ...rest, kind, type: 'feedback' },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  },

  /** Newest first, for operators. */
  async list(limit: number, after?: { id: string; sortKey: string }): Promise<{ items: FeedbackItem[]; last: { id: string; sortKey: string } | null }> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.feedbackPartition },
        ScanIndexForward: false,
        Limit: limit,
        ...(after ? { ExclusiveStartKey: { ...keys.feedback(after.id), GSI1PK: keys.feedbackPartition, GSI1SK: after.sortKey } } : {}),
      }),
    );
    const items = (out.Items ?? []).map((i) => ({
      id: i.id as string,
      userId: i.userId as string,
      type: i.kind as string,
      text: i.text as string,
      photos: (i.photos as string[]) ?? [],
      contactConsent: Boolean(i.contactConsent),
      phone: (i.phone as string | null) ?? null,
      createdAt: i.createdAt as number,
    }));
    const last = items[items.length - 1];
    return { items, last: out.LastEvaluatedKey && last ? { id: last.id, sortKey: String(out.LastEvaluatedKey.GSI1SK) } : null };
  },
};
