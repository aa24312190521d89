export interface ApiTag {
  name: string;
  description: string;
}

/**
 * What a newcomer reads first at `/docs`: what the platform is and how to get and keep a token.
 * Swagger UI renders it as Markdown above the routes.
 */
export const API_INTRODUCTION = `Merchant Platform is a backend for merchant sign-up and identity: accounts and tokens
(**auth**), business profiles (**merchants**), and e-mail delivery (**email**, a cluster-internal service).

Bodies are JSON with \`snake_case\` fields. Every error has the same shape,
\`{"error": {"code": "...", "message": "...", "details": [...]}}\`, where \`details\` lists the invalid fields of a 422.

## Getting a token

1. **Register**: \`POST /auth/register\` with \`email\`, \`password\`, \`confirm_password\`, \`first_name\`, \`last_name\`.
   A 6-digit verification code is e-mailed (in all-in-one mode it is printed on the server's console).
2. **Sign in**: \`POST /auth/token\` with the form \`grant_type=password&username=<email>&password=<password>\`
   (JSON \`{"email", "password"}\` works too). The answer holds an \`access_token\` (a JWT, 15 minutes by default)
   and a \`refresh_token\` (30 days, usable once).
3. **Verify the e-mail address**: \`POST /auth/email/verification/confirm\` with \`{"code"}\` and the access token.
   Then refresh (or sign in again): the new access token says \`email_verified: true\`, which saving a merchant
   profile needs.
4. **Call the API** with \`Authorization: Bearer <access_token>\`.

On this page, **Authorize** signs you in: under *oauth2* enter your e-mail as the username and your password
(leave the client fields empty), or paste an access token under *bearer*.

## Keeping a session

When the access token expires (401 \`invalid_token\`), send the refresh token to \`POST /auth/refresh\`: you get a
new pair and the old refresh token stops working. Presenting a used refresh token again revokes every token of that
sign-in (401 \`token_reused\`), so keep only the newest one. \`POST /auth/logout\` ends one sign-in,
\`POST /auth/logout-all\` every one.

Routes marked deprecated are the seed's aliases (\`/register\`, \`/token\`, \`/users/me/\`): they keep working, but new
clients should use the routes they point to.`;

/**
 * Tags in the order a user meets them: sign up, sign in, the account, merchant profiles, then
 * administration; internal tags last. Documents list only the tags their routes use.
 */
export const API_TAGS: ApiTag[] = [
  { name: 'sign-up', description: 'Create an account and verify its e-mail address.' },
  { name: 'sign-in', description: 'Get, refresh and revoke tokens; reset a forgotten password; the keys that verify tokens.' },
  { name: 'google', description: 'Sign in with Google (only when it is configured).' },
  { name: 'account', description: "The signed-in user's own account: profile, password, every sign-in at once." },
  { name: 'users', description: 'Who the caller is, as every service sees it from the access token.' },
  { name: 'merchants', description: 'Business profiles: your own, and the public view of any merchant.' },
  { name: 'admin', description: 'Users and merchants, for the admin role.' },
  { name: 'email', description: 'Cluster-internal: the e-mail outbox, for other services only.' },
  { name: 'internal', description: 'Cluster-internal routes between services; never routed by the Ingress.' },
];
