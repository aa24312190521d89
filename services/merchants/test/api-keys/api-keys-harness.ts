import type { ApiKeyView } from '../../src/domain/views.js';
import type { Person, teamsStage } from '../teams/teams-harness.js';

export type IssuedKey = { api_key: ApiKeyView; secret: string };
export type KeyList = { items: ApiKeyView[] };

/** Creates a key through the route, as an owner would; fails the test on anything but 201. */
export async function issueKey(
  stage: ReturnType<typeof teamsStage>,
  owner: Person,
  merchantId: string,
  body: Record<string, unknown> = { name: 'CI', scopes: ['merchant:read'] },
): Promise<IssuedKey> {
  const res = await stage.call<IssuedKey>('POST', `/merchants/${merchantId}/api-keys`, { token: owner.token(), json: body });
  if (res.status !== 201) throw new Error(`could not create a key: ${res.status} ${res.text}`);
  return res.body;
}
