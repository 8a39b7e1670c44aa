import { FootprintPath } from '@shop/shared';
import { route } from '../lib/http';
import * as events from '../services/events';

export const ingestEvents = route('ingestEvents', ({ userId, body, now }) => events.ingestEvents(userId, body.events, now));
export const getPrivacy = route('getPrivacy', ({ userId }) => events.getPrivacy(userId));
export const setPrivacy = route('setPrivacy', ({ userId, body }) => events.setPrivacy(userId, body));
export const listFootprints = route('listFootprints', ({ userId, query, now }) => events.listFootprints(userId, query, now));
export const removeFootprint = route('removeFootprint', ({ userId, params }) => events.removeFootprint(userId, params.productId), {
  params: FootprintPath,
});
export const clearFootprints = route('clearFootprints', ({ userId }) => events.clearFootprints(userId));
