import type { Context } from 'koa';
import type { ApiClient } from '../api-client/api-client.js';
import type { Brand } from '../brand.js';
import type { UserApi } from '../http/user-api.js';
import type { Features, Views } from '../http/views.js';

export interface PageDependencies {
  /** The APIs without a user: sign-up, sign-in, password reset. */
  api: ApiClient;
  /** The APIs as the signed-in person. */
  userApi: (ctx: Context) => UserApi;
  views: Views;
  brand: Brand;
  features: Features;
}
