/** Server time is UTC epoch ms. Services take a clock so deadlines are tested without sleeping. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };
