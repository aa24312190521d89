import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/domain/roles.js';
import { invitationsStage } from '../invitations/invitations-harness.js';
import { profile, type Person } from './teams-harness.js';

type Actor = Role | 'non-member';
const ACTORS: Actor[] = ['owner', 'admin', 'developer', 'viewer', 'non-member'];

/**
 * One action on a fresh merchant: `target` (if any) is seated first, and with `invitation` the
 * owner invites someone, then the actor calls.
 */
interface Case {
  action: string;
  target?: Role;
  invitation?: true;
  request: (
    merchantId: string,
    target: Person | undefined,
    invitationId: string | undefined,
  ) => { method: string; path: string; json?: unknown };
  expect: Record<Actor, number>;
}

const everyMember = { owner: 200, admin: 200, developer: 200, viewer: 200, 'non-member': 404 };
const ownerAdmin = { owner: 200, admin: 200, developer: 403, viewer: 403, 'non-member': 404 };
const ownerOnly = { owner: 200, admin: 403, developer: 403, viewer: 403, 'non-member': 404 };
const succeedingWith = (success: number) => (statuses: Record<Actor, number>) =>
  Object.fromEntries(Object.entries(statuses).map(([actor, status]) => [actor, status === 200 ? success : status])) as Record<
    Actor,
    number
  >;
const asDelete = succeedingWith(204);
const asCreate = succeedingWith(201);
const invite = (role: Role) => (id: string) => ({
  method: 'POST',
  path: `/merchants/${id}/invitations`,
  json: { email: `${randomUUID()}@example.com`, role },
});
const setRole = (role: Role) => (id: string, t: Person | undefined) => ({
  method: 'PATCH',
  path: `/merchants/${id}/members/${t!.sub}`,
  json: { role },
});
const remove = (id: string, t: Person | undefined) => ({ method: 'DELETE', path: `/merchants/${id}/members/${t!.sub}` });

const CASES: Case[] = [
  { action: 'read the profile', request: (id) => ({ method: 'GET', path: `/merchants/${id}/profile` }), expect: everyMember },
  {
    action: 'replace the profile',
    request: (id) => ({ method: 'PUT', path: `/merchants/${id}/profile`, json: profile() }),
    expect: ownerAdmin,
  },
  { action: 'list the members', request: (id) => ({ method: 'GET', path: `/merchants/${id}/members` }), expect: everyMember },
  {
    action: 'change the settings',
    request: (id) => ({ method: 'PATCH', path: `/merchants/${id}/settings`, json: { require_mfa: false } }),
    expect: ownerOnly,
  },
  { action: 'make a viewer a developer', target: 'viewer', request: setRole('developer'), expect: ownerAdmin },
  { action: 'make a developer a viewer', target: 'developer', request: setRole('viewer'), expect: ownerAdmin },
  { action: 'make a developer an admin', target: 'developer', request: setRole('admin'), expect: ownerOnly },
  { action: 'make an admin a viewer', target: 'admin', request: setRole('viewer'), expect: ownerOnly },
  { action: 'make an admin an owner', target: 'admin', request: setRole('owner'), expect: ownerOnly },
  { action: 'demote a second owner', target: 'owner', request: setRole('admin'), expect: ownerOnly },
  { action: 'remove a viewer', target: 'viewer', request: remove, expect: asDelete(ownerAdmin) },
  { action: 'remove a developer', target: 'developer', request: remove, expect: asDelete(ownerAdmin) },
  { action: 'remove an admin', target: 'admin', request: remove, expect: asDelete(ownerOnly) },
  { action: 'remove a second owner', target: 'owner', request: remove, expect: asDelete(ownerOnly) },
  { action: 'invite a viewer', request: invite('viewer'), expect: asCreate(ownerAdmin) },
  { action: 'invite a developer', request: invite('developer'), expect: asCreate(ownerAdmin) },
  { action: 'invite an admin', request: invite('admin'), expect: asCreate(ownerOnly) },
  { action: 'invite an owner', request: invite('owner'), expect: asCreate(ownerOnly) },
  { action: 'list the invitations', request: (id) => ({ method: 'GET', path: `/merchants/${id}/invitations` }), expect: ownerAdmin },
  {
    action: 'revoke an invitation',
    invitation: true,
    request: (id, _, invitationId) => ({ method: 'DELETE', path: `/merchants/${id}/invitations/${invitationId}` }),
    expect: asDelete(ownerAdmin),
  },
];

describe('merchant teams: the permission matrix', () => {
  // Invitations mail their tokens, so this stage has the email service and SES behind it.
  const stage = invitationsStage();

  for (const c of CASES) {
    it(`lets each role ${c.action} or not: ${ACTORS.map((a) => `${a} ${c.expect[a]}`).join(', ')}`, async () => {
      const answers: Record<string, number> = {};
      for (const actor of ACTORS) {
        const owner = stage.person();
        const merchantId = await stage.merchantOwnedBy(owner);
        const target = c.target && (await stage.seat(merchantId, c.target));
        const invitationId =
          c.invitation && (await stage.invite(owner, merchantId, `${randomUUID()}@example.com`, 'viewer')).body.invitation.id;
        const caller = actor === 'owner' ? owner : actor === 'non-member' ? stage.person() : await stage.seat(merchantId, actor);
        const { method, path, json } = c.request(merchantId, target, invitationId);
        const res = await stage.call(method, path, { token: caller.token(), ...(json === undefined ? {} : { json }) });
        answers[actor] = res.status;
      }
      assert.deepEqual(answers, c.expect);
    });
  }
});
