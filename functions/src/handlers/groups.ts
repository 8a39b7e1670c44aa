import { z } from 'zod';
import { GroupId } from '@shop/shared';
import { route } from '../lib/http';
import * as groups from '../services/groups';
import { preloadCampaignConfig } from '../providers/campaign-config';

preloadCampaignConfig();

export const groupDeals = route('groupDeals', ({ query, now }) => groups.groupDeals(query.productId, now));
export const createGroupOrder = route('createGroupOrder', ({ userId, body, now }) => groups.createGroupOrder(userId, body, now), { status: 201 });
export const groupQuote = route('groupQuote', ({ userId, body, now }) => groups.quoteGroupOrder(userId, body, now));
export const groupLanding = route('groupLanding', ({ userId, params, now }) => groups.groupLanding(params.token, now, userId), {
  params: z.object({ token: z.string().regex(/^[A-Za-z0-9]{6,16}$/) }),
});
export const myGroups = route('myGroups', ({ userId, query, now }) => groups.myGroups(userId, query.status, now));
export const groupShare = route('groupShare', ({ userId, params }) => groups.groupShare(userId, params.groupId), { params: z.object({ groupId: GroupId }) });
