// Typed domain errors and the one public error shape every failure is mapped to:
// {error, message, details?, field?, timestamp, request_id} with seed 001's status codes.
import { Type, type Static } from '@sinclair/typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'Error type, e.g. ValidationError, NotFound' }),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
    field: Type.Optional(Type.String()),
    provided_value: Type.Optional(Type.Unknown()),
    resource: Type.Optional(Type.String()),
    id: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    timestamp: Type.String({ format: 'date-time' }),
    request_id: Type.String(),
  },
  { $id: 'ErrorBody', title: 'Error' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorType: string,
    message: string,
    readonly extra: Partial<Pick<ErrorBody, 'details' | 'field' | 'provided_value' | 'resource' | 'id'>> = {},
  ) {
    super(message);
    this.name = errorType;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, field?: string, providedValue?: unknown, details?: unknown) {
    super(400, 'ValidationError', message, {
      ...(field !== undefined ? { field } : {}),
      ...(providedValue !== undefined ? { provided_value: providedValue } : {}),
      ...(details !== undefined ? { details } : {}),
    });
  }
}

export class NotFoundError extends AppError {
  constructor(resource: string, id: string | number) {
    super(404, 'NotFound', `${resource[0]!.toUpperCase()}${resource.slice(1)} with id ${id} not found`, { resource, id });
  }
}

/** A 404 whose message says why, e.g. a match that exists but has no prediction. */
export class ExplainedNotFoundError extends AppError {
  constructor(resource: string, id: string | number, message: string, reason: string) {
    super(404, 'NotFound', message, { resource, id, details: { reason } });
  }
}

export class UnprocessableError extends AppError {
  constructor(message: string, details?: unknown) {
    super(422, 'UnprocessableEntity', message, details !== undefined ? { details } : {});
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super(409, 'Conflict', message, details !== undefined ? { details } : {});
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required') {
    super(401, 'Unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this') {
    super(403, 'Forbidden', message);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string, details?: unknown) {
    super(503, 'ServiceUnavailable', message, details !== undefined ? { details } : {});
  }
}

/** Error type names by status code for errors that arrive without one of ours. */
export function errorTypeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'ValidationError';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 406:
      return 'NotAcceptable';
    case 409:
      return 'Conflict';
    case 413:
      return 'PayloadTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'UnprocessableEntity';
    case 429:
      return 'TooManyRequests';
    case 503:
      return 'ServiceUnavailable';
    default:
      return status >= 500 ? 'InternalError' : 'BadRequest';
  }
}
