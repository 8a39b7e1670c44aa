import { config } from '../lib/config';
import { validatePushedDocument } from '../providers/campaign-config';

/** The AppConfig Lambda validator event: the pushed content, Base64. */
interface AppConfigValidatorEvent {
  content?: string;
  applicationId?: string;
  configurationProfileId?: string;
  configurationVersion?: string;
}

/**
 * AWS AppConfig calls this before a pushed campaign configuration can be deployed. Throwing rejects the push; the
 * message is the `campaigns:check` list (file: campaign id: field: message), which AppConfig shows to the operator.
 */
export async function validateCampaignPush(event: AppConfigValidatorEvent): Promise<void> {
  const raw = Buffer.from(event.content ?? '', 'base64').toString('utf8');
  const result = validatePushedDocument(raw, config().stage);
  if (!result.ok) throw new Error(result.errors.join('\n'));
}
