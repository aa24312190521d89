import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { HttpEmailClient } from '@merchant-platform/common/email-client';
import { assertError, type ErrorBody } from '@merchant-platform/common/testing/http-server';
import type { IssuedKey } from '../api-keys/api-keys-harness.js';
import { teamsStage, type Members, type Person } from '../teams/teams-harness.js';
import { CONSOLE_URL, invitationsStage, type InvitationList, type OneInvitation } from './invitations-harness.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const INVITATION_KEYS = ['created_at', 'email', 'expires_at', 'id', 'role', 'status'];

describe('merchant invitations', function () {
  this.timeout(30_000);
  const stage = invitationsStage();
  const { call } = stage;

  it('mails the invitee a token that makes them a member with the invited role', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const invitee = stage.person();

    const invited = await stage.invite(owner, merchantId, invitee.email.toUpperCase(), 'developer');
    assert.equal(invited.status, 201);
    assert.deepEqual(Object.keys(invited.body), ['invitation']);
    const invitation = invited.body.invitation;
    assert.deepEqual(Object.keys(invitation).sort(), INVITATION_KEYS);
    assert.deepEqual(
      { email: invitation.email, role: invitation.role, status: invitation.status },
      { email: invitee.email, role: 'developer', status: 'pending' },
    );
    assert.equal(Date.parse(invitation.expires_at) - Date.parse(invitation.created_at), 7 * DAY_MS);

    const mail = await waitForMail(invitee.email);
    const token = await stage.tokenFromInbox(invitee.email);
    assert.match(token, /^mpi_[A-Za-z0-9_-]{43}$/);
    assert.match(mail.subject, /invited/i);
    assert.ok(mail.body.text!.includes(`${CONSOLE_URL}/invitations/accept?token=${token}`));
    assert.ok(mail.body.html!.includes(`${CONSOLE_URL}/invitations/accept?token=${token}`), 'the HTML button links to the same place');
    assert.ok(!invited.text.includes(token), 'the token is in the mail only, never in the answer');

    const joined = await stage.accept(invitee, token);
    assert.equal(joined.status, 200);
    assert.deepEqual(Object.keys(joined.body), ['membership']);
    const { joined_at, ...membership } = joined.body.membership;
    assert.deepEqual(membership, {
      merchant_id: merchantId,
      user_id: invitee.sub,
      email: invitee.email,
      name: `Person ${invitee.sub.slice(0, 4)}`,
      role: 'developer',
    });
    assert.ok(Date.parse(joined_at) >= Date.parse(invitation.created_at));

    const members = await call<Members>('GET', `/merchants/${merchantId}/members`, { token: invitee.token() });
    assert.equal(members.status, 200);
    assert.deepEqual(
      members.body.items.map((m) => [m.user_id, m.role]),
      [
        [owner.sub, 'owner'],
        [invitee.sub, 'developer'],
      ],
    );
    const listed = await call<InvitationList>('GET', `/merchants/${merchantId}/invitations`, { token: owner.token() });
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body, { items: [{ ...invitation, status: 'accepted' }] });
  });

  it('keeps the merchant’s name, which its owner chose, apart from the token in the mail', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const invitee = stage.person();
    assert.equal((await stage.invite(owner, merchantId, invitee.email, 'viewer')).status, 201);
    const mail = await waitForMail(invitee.email);
    const lines = mail.body.text!.split('\n');
    const tokenLine = lines.findIndex((l) => l.startsWith('Invitation token: '));
    const nameLine = lines.findIndex((l) => l.includes('Ada’s Bakery'));
    assert.ok(tokenLine >= 0 && nameLine > tokenLine + 2, 'the name comes last, well after the token');
    assert.ok(!lines[tokenLine]!.includes('Bakery') && /as viewer\./.test(mail.body.text!));
  });

  it('refuses to invite a member or an address with a pending invitation (409 conflict), and allows it again once revoked', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const member = await stage.seat(merchantId, 'viewer');
    assertError(await stage.invite(owner, merchantId, member.email, 'admin'), 409, 'conflict', 'a member');

    const address = `${randomUUID()}@example.com`;
    const first = await stage.invite(owner, merchantId, address, 'viewer');
    assert.equal(first.status, 201);
    assertError(await stage.invite(owner, merchantId, address, 'developer'), 409, 'conflict', 'a pending invitation');

    const revoked = await call('DELETE', `/merchants/${merchantId}/invitations/${first.body.invitation.id}`, { token: owner.token() });
    assert.equal(revoked.status, 204);
    assert.equal(revoked.text, '');
    assert.equal((await stage.invite(owner, merchantId, address, 'developer')).status, 201, 'a revoked invitation no longer blocks');
  });

  it('answers 422 for an unknown role or an address that is not one, and 401 step_up_required without a recent sign-in', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const path = `/merchants/${merchantId}/invitations`;
    const unknownRole = await call<ErrorBody>('POST', path, { token: owner.token(), json: { email: 'x@example.com', role: 'superuser' } });
    assertError(unknownRole, 422, 'validation_failed');
    assert.deepEqual(
      unknownRole.body.error.details?.map((d) => d.path),
      ['role'],
    );
    assertError(
      await call('POST', path, { token: owner.token(), json: { email: 'not an address', role: 'viewer' } }),
      422,
      'validation_failed',
    );
    const stale = owner.token({ auth_time: Math.floor(Date.now() / 1000) - 3600 });
    assertError(await call('POST', path, { token: stale, json: { email: 'x@example.com', role: 'viewer' } }), 401, 'step_up_required');
  });

  it('answers 404 for revoking an unknown invitation or another merchant’s', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const otherOwner = stage.person();
    const otherMerchant = await stage.merchantOwnedBy(otherOwner);
    const theirs = await stage.invite(otherOwner, otherMerchant, `${randomUUID()}@example.com`, 'viewer');
    const theirId = theirs.body.invitation.id;
    assertError(await call('DELETE', `/merchants/${merchantId}/invitations/${theirId}`, { token: owner.token() }), 404, 'not_found');
    assertError(await call('DELETE', `/merchants/${merchantId}/invitations/${randomUUID()}`, { token: owner.token() }), 404, 'not_found');
    const still = await call<InvitationList>('GET', `/merchants/${otherMerchant}/invitations`, { token: otherOwner.token() });
    assert.equal(still.body.items[0]!.status, 'pending', 'the other merchant’s invitation is untouched');
  });

  it('answers 404 to unknown, used, revoked and expired tokens alike', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const [used, revoked, expired] = [stage.person(), stage.person(), stage.person()];
    const tokenFor = async (invitee: Person) => {
      assert.equal((await stage.invite(owner, merchantId, invitee.email, 'viewer')).status, 201);
      return stage.tokenFromInbox(invitee.email);
    };
    const [usedToken, revokedToken, expiredToken] = [await tokenFor(used), await tokenFor(revoked), await tokenFor(expired)];

    assertError(await stage.accept(used, `mpi_${'A'.repeat(43)}`), 404, 'not_found', 'unknown');
    assert.equal((await stage.accept(used, usedToken)).status, 200);
    assertError(await stage.accept(used, usedToken), 404, 'not_found', 'used');

    const listed = await call<InvitationList>('GET', `/merchants/${merchantId}/invitations`, { token: owner.token() });
    const idOf = (email: string) => listed.body.items.find((i) => i.email === email)!.id;
    assert.equal(
      (await call('DELETE', `/merchants/${merchantId}/invitations/${idOf(revoked.email)}`, { token: owner.token() })).status,
      204,
    );
    assertError(await stage.accept(revoked, revokedToken), 404, 'not_found', 'revoked');

    await stage.db.sequelize.query('UPDATE merchant_invitations SET expires_at = ? WHERE id = ?', {
      replacements: [new Date(Date.now() - 1000), idOf(expired.email)],
    });
    assertError(await stage.accept(expired, expiredToken), 404, 'not_found', 'expired');

    const after = await call<InvitationList>('GET', `/merchants/${merchantId}/invitations`, { token: owner.token() });
    assert.deepEqual(Object.fromEntries(after.body.items.map((i) => [i.email, i.status])), {
      [used.email]: 'accepted',
      [revoked.email]: 'revoked',
      [expired.email]: 'expired',
    });
  });

  it('lets only the invited address accept, once verified (403 email_not_verified, 403 forbidden)', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const invitee = stage.person();
    assert.equal((await stage.invite(owner, merchantId, invitee.email, 'admin')).status, 201);
    const token = await stage.tokenFromInbox(invitee.email);

    assertError(await stage.accept(invitee, token, { email_verified: false }), 403, 'email_not_verified');
    assertError(await stage.accept(stage.person(), token), 403, 'forbidden', 'someone else');
    assertError(await call('POST', '/merchants/invitations/accept', { json: { token } }), 401, 'unauthenticated');
    const joined = await stage.accept(invitee, token);
    assert.equal(joined.status, 200, 'the refusals did not use the token up');
    assert.equal(joined.body.membership.role, 'admin');
  });

  it('answers 409 when the invitee joined meanwhile, and leaves the invitation pending', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const invitee = stage.person();
    assert.equal((await stage.invite(owner, merchantId, invitee.email, 'viewer')).status, 201);
    const token = await stage.tokenFromInbox(invitee.email);
    await stage.db.sequelize.query(
      'INSERT INTO merchant_memberships (merchant_id, user_id, email, name, role, joined_at) VALUES (?, ?, ?, ?, ?, ?)',
      { replacements: [merchantId, invitee.sub, invitee.email, 'Joined', 'developer', new Date()] },
    );
    assertError(await stage.accept(invitee, token), 409, 'conflict');
    const listed = await call<InvitationList>('GET', `/merchants/${merchantId}/invitations`, { token: owner.token() });
    assert.equal(listed.body.items[0]!.status, 'pending');
  });

  it('lets no API key invite, list or revoke (403 insufficient_scope), nor accept (401)', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const allScopes = { name: 'all', scopes: ['merchant:read', 'merchant:write', 'members:read', 'webhooks:manage', 'events:read'] };
    const { secret } = (await call<IssuedKey>('POST', `/merchants/${merchantId}/api-keys`, { token: owner.token(), json: allScopes })).body;
    const path = `/merchants/${merchantId}/invitations`;
    const asKey = { headers: { authorization: `Bearer ${secret}` } };
    assertError(await call('POST', path, { ...asKey, json: { email: 'x@example.com', role: 'viewer' } }), 403, 'insufficient_scope');
    assertError(await call('GET', path, asKey), 403, 'insufficient_scope');
    assertError(await call('DELETE', `${path}/${randomUUID()}`, asKey), 403, 'insufficient_scope');
    assertError(await call('POST', '/merchants/invitations/accept', { ...asKey, json: { token: 'mpi_x' } }), 401, 'invalid_token');
  });

  it('writes no token and no token hash to the log', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const invitee = stage.person();
    assert.equal((await stage.invite(owner, merchantId, invitee.email, 'viewer')).status, 201);
    const token = await stage.tokenFromInbox(invitee.email);
    assert.equal((await stage.accept(invitee, token)).status, 200);
    const [[row]] = (await stage.db.sequelize.query('SELECT token_hash FROM merchant_invitations WHERE email = ?', {
      replacements: [invitee.email],
    })) as [{ token_hash: string }[], unknown];
    const logged = stage.logs.text();
    assert.ok(logged.length > 0, 'the log was captured');
    assert.ok(!logged.includes(token), 'no token in the log');
    assert.ok(!logged.includes(token.slice(4, 24)), 'not even part of one');
    assert.ok(!logged.includes(row!.token_hash), 'no hash in the log');
  });

  async function waitForMail(address: string) {
    await stage.tokenFromInbox(address);
    return (await stage.ses().emailsTo(address)).at(-1)!;
  }
});

describe('merchant invitations when the email service cannot be reached', () => {
  const stage = teamsStage({
    invitations: {
      mailer: new HttpEmailClient({
        baseUrl: 'http://127.0.0.1:9',
        credential: { token: 'unused-service-token-0123456789' },
        attempts: 1,
        timeoutMs: 500,
      }),
    },
  });

  it('answers 503 and keeps no invitation, since no one could ever get its token', async () => {
    const owner = stage.person();
    const merchantId = await stage.merchantOwnedBy(owner);
    const address = `${randomUUID()}@example.com`;
    assertError(
      await stage.call<OneInvitation>('POST', `/merchants/${merchantId}/invitations`, {
        token: owner.token(),
        json: { email: address, role: 'viewer' },
      }),
      503,
      'unavailable',
    );
    const listed = await stage.call<InvitationList>('GET', `/merchants/${merchantId}/invitations`, { token: owner.token() });
    assert.deepEqual(listed.body, { items: [] });
  });
});
