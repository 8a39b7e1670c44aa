/**
 * 意见反馈: a shopper's feedback (type, text, photos, whether customer service may call them), stored for operators
 * to read. Feedback earns points once per Shanghai day (the points hook's business id is the day, so a second
 * feedback that day is stored but earns nothing).
 */
import { z } from 'zod';
import { FEEDBACK_TYPE_LABEL, shanghaiDay, type CreateFeedbackRequest, type FeedbackType, type FeedbackView } from '@shop/shared';
import { decodeCursor, encodeCursor } from '../lib/cursor';
import { newId } from '../lib/ids';
import { feedbackRepo } from '../repositories/feedback-repo';
import { awardFeedback } from './points';
import { checkPhotos, photoLinks } from './uploads';

/** POST /v1/feedback. */
export async function createFeedback(userId: string, req: CreateFeedbackRequest, now: number): Promise<{ id: string; points: number; message: string }> {
  const photos = await checkPhotos(userId, 'feedback', req.photoKeys);
  const id = newId(now);
  await feedbackRepo.put({
    id,
    userId,
    type: req.type,
    text: req.text,
    photos,
    contactConsent: req.contactConsent,
    // A phone number is kept only when the shopper agreed to be contacted.
    phone: req.contactConsent ? (req.phone ?? null) : null,
    createdAt: now,
  });
  const points = await awardFeedback(userId, `DAY-${shanghaiDay(now)}`, now);
  return { id, points, message: points > 0 ? `感谢你的反馈，已获得 ${points} 积分` : '感谢你的反馈，我们会尽快处理' };
}

const Position = z.object({ i: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/), k: z.string().regex(/^[0-9#A-Z]{1,80}$/) });

/** Operators: feedback newest first. */
export async function listFeedback(q: { cursor?: string; limit: number }): Promise<{ items: FeedbackView[]; nextCursor: string | null }> {
  const at = decodeCursor(q.cursor, 'ops:feedback', Position);
  const page = await feedbackRepo.list(q.limit, at ? { id: at.i, sortKey: at.k } : undefined);
  return {
    items: await Promise.all(
      page.items.map(async (f) => ({
        ...f,
        type: f.type as FeedbackType,
        typeLabel: FEEDBACK_TYPE_LABEL[f.type as FeedbackType] ?? f.type,
        photos: (await photoLinks(f.photos)).map((p) => p.url),
      })),
    ),
    nextCursor: page.last ? encodeCursor('ops:feedback', { i: page.last.id, k: page.last.sortKey }) : null,
  };
}
