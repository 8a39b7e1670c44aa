/**
 * The stage's member configuration (points and levels), as the functions see it: `members/<stage>.yaml`, bundled
 * with every function (serverless.yml `package.patterns`) like the campaign files. No file = every default
 * (shared/src/members/config.ts); a file that fails the schema keeps the last good configuration live (and, with none
 * yet, answers CAMPAIGN_CONFIG_INVALID rather than guessing). Locally the file is looked at again at most once a
 * second, so `npm start` picks up an edit; in a Lambda it is read once.
 */
import { DEFAULT_MEMBERS_CONFIG, DomainError, type MembersConfig } from '@shop/shared';
import { parseMembersConfig } from '../../../shared/src/members/config-file';
import { stageFileConfig } from './stage-file';

const members = stageFileConfig<MembersConfig>({
  folder: 'members',
  defaults: DEFAULT_MEMBERS_CONFIG,
  parse: parseMembersConfig,
  what: 'member configuration',
  refuseWithoutGood: () => new DomainError('CAMPAIGN_CONFIG_INVALID', '会员配置有误，请稍后再试'),
});

/** The live member configuration of this container. */
export const membersConfig = (): MembersConfig => members.get();

/** Tests point the process at another members folder between files. */
export const resetMembersConfig = (): void => members.reset();
