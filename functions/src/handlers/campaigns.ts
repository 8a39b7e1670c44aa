import { route } from '../lib/http';
import { homeCampaigns as home } from '../services/campaigns';
import { preloadCampaignConfig } from '../providers/campaign-config';

preloadCampaignConfig();

export const homeCampaigns = route('homeCampaigns', ({ userId, now }) => home(userId, now));
