// Login throttling: failed sign-ins are counted per account (e-mail) and per client IP in
// a fixed window; past the limit, further attempts are refused with 429 before the
// password is even checked. Only failures count, so a user who types the password right
// is never slowed down, and a success clears the account's counter.
import type { LoginThrottleConfig } from '../../config.js';
import type { Clock } from '../clock.js';
import type { WindowCounter } from './counter.js';
import { TooManyRequestsError } from './errors.js';

export interface LoginThrottle {
  /** Throws TooManyRequestsError when the account or the IP is over its limit. */
  assertAllowed(email: string, ip: string): Promise<void>;
  recordFailure(email: string, ip: string): Promise<void>;
  recordSuccess(email: string): Promise<void>;
}

export function createLoginThrottle(counter: WindowCounter, clock: Clock, config: LoginThrottleConfig): LoginThrottle {
  const windowMs = config.windowSeconds * 1000;
  const accountKey = (email: string) => `login:account:${email}`;
  const ipKey = (ip: string) => `login:ip:${ip}`;
  return {
    async assertAllowed(email, ip) {
      const now = clock.now().getTime();
      const [account, byIp] = await Promise.all([counter.peek(accountKey(email), windowMs, now), counter.peek(ipKey(ip), windowMs, now)]);
      const blocked =
        account.count >= config.maxFailuresPerAccount ? account : byIp.count >= config.maxFailuresPerIp ? byIp : null;
      if (!blocked) return;
      const retryAfter = Math.max(1, Math.ceil((blocked.resetAtMs - now) / 1000));
      throw new TooManyRequestsError(`Too many failed sign-ins; try again in ${retryAfter} s`, retryAfter, {
        retry_after_seconds: retryAfter,
        scope: blocked === account ? 'account' : 'ip',
      });
    },
    async recordFailure(email, ip) {
      const now = clock.now().getTime();
      await Promise.all([counter.hit(accountKey(email), windowMs, now), counter.hit(ipKey(ip), windowMs, now)]);
    },
    async recordSuccess(email) {
      await counter.reset(accountKey(email), windowMs, clock.now().getTime());
    },
  };
}
