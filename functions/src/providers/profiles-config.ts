/**
 * The stage's profiles configuration (event retention, interest decay, RFM and lifecycle thresholds, segments), as the
 * functions see it: `profiles/<stage>.yaml`, bundled with every function (serverless.yml `package.patterns`) like the
 * member file. No file = every default (shared/src/profiles/config.ts); a file that fails the schema keeps the last
 * good configuration (the defaults when none was good yet) and logs why. Locally the file is looked at again at most
 * once a second, so `npm start` picks up an edit; in a Lambda it is read once.
 */
import { DEFAULT_PROFILES_CONFIG, type ProfilesConfig } from '@shop/shared';
import { parseProfilesConfig } from '../../../shared/src/profiles/config-file';
import { stageFileConfig } from './stage-file';

const profiles = stageFileConfig<ProfilesConfig>({
  folder: 'profiles',
  defaults: DEFAULT_PROFILES_CONFIG,
  parse: parseProfilesConfig,
  what: 'profiles configuration',
});

/** The live profiles configuration of this container. */
export const profilesConfig = (): ProfilesConfig => profiles.get();
