// Request and response schemas of the account, session and API-key routes.
import { Type } from '@sinclair/typebox';
import { PASSWORD_MAX_LENGTH } from '../../platform/auth/passwords.js';
import { Page, versionField } from '../../platform/schemas.js';

const Email = Type.String({ minLength: 3, maxLength: 254, description: 'E-mail address (case-insensitive)' });
// The policy (length, common passwords) is checked in the service, with reasons; the
// schema only bounds the size of what is accepted.
const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH * 4 });

export const UserBody = Type.Object(
  {
    id: Type.Integer(),
    email: Type.String(),
    role: Type.Union([Type.Literal('user'), Type.Literal('admin')]),
    display_name: Type.Union([Type.String(), Type.Null()]),
    disabled: Type.Boolean(),
    created_at: Type.String({ format: 'date-time' }),
    last_login_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { title: 'User' },
);

export const UserResponse = Type.Object({ ...UserBody.properties, ...versionField }, { title: 'UserResponse' });

export const RegisterBody = Type.Object(
  {
    email: Email,
    password: Password,
    display_name: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

/** JSON `{email, password}` or the OAuth2 password form (`username`, `password`, `grant_type=password`). */
export const LoginBody = Type.Object({
  email: Type.Optional(Email),
  username: Type.Optional(Email),
  password: Password,
  grant_type: Type.Optional(Type.Literal('password')),
  scope: Type.Optional(Type.String({ maxLength: 200 })),
  client_id: Type.Optional(Type.String({ maxLength: 200 })),
  client_secret: Type.Optional(Type.String({ maxLength: 200 })),
});

/** `{refresh_token}`, simplejwt's `{refresh}` (seed 002), or the OAuth2 refresh form. */
export const RefreshBody = Type.Object({
  refresh_token: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  refresh: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  grant_type: Type.Optional(Type.Literal('refresh_token')),
});

export const LogoutBody = Type.Object({
  refresh_token: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  all: Type.Optional(Type.Boolean({ description: 'Sign out every session of this account' })),
});

export const TokenResponse = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('bearer'),
    expires_in: Type.Integer({ description: 'Seconds the access token is valid' }),
    refresh_token: Type.String(),
    refresh_expires_in: Type.Integer(),
    user: UserBody,
    ...versionField,
  },
  { title: 'Tokens' },
);

export const LogoutResponse = Type.Object({ status: Type.Literal('signed_out'), sessions_revoked: Type.Integer({ minimum: 0 }), ...versionField });

export const UserListQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});

export const UserPatchBody = Type.Object(
  {
    role: Type.Optional(Type.Union([Type.Literal('user'), Type.Literal('admin')])),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const UserPage = Page(UserBody, 'UserPage');

export const ApiKeyBody = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    prefix: Type.String({ description: 'The clear part of the key (shl_<prefix>_...), to recognise it' }),
    created_at: Type.String({ format: 'date-time' }),
    expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    revoked_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { title: 'ApiKey' },
);

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);

export const CreatedApiKey = Type.Object(
  {
    ...ApiKeyBody.properties,
    key: Type.String({ description: 'The key itself: shown only in this response, store it now' }),
    ...versionField,
  },
  { title: 'CreatedApiKey' },
);

export const ApiKeyResponse = Type.Object({ ...ApiKeyBody.properties, ...versionField }, { title: 'ApiKeyResponse' });
export const ApiKeyPage = Page(ApiKeyBody, 'ApiKeyPage');
