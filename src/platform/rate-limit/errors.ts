// The 429 error: the global error handler turns it into the public error shape; whoever
// throws it sets Retry-After first.
import { AppError } from '../errors.js';

export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    details?: Record<string, unknown>,
  ) {
    super(429, 'TooManyRequests', message, details ? { details } : {});
  }
}
