import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createMerchants } from '../../src/data/migrations/0001-create-merchants.js';
import { migrate, teamsStage, type Members, type MyMerchants } from './teams-harness.js';

/** Two merchants as v1 left them: no memberships anywhere. (Whole seconds: a raw insert keeps no more on MariaDB.) */
const v1Merchants = [
  { id: randomUUID(), user_id: randomUUID(), created_at: new Date('2025-01-02T03:04:05.000Z') },
  { id: randomUUID(), user_id: randomUUID(), created_at: new Date('2025-06-07T08:09:10.000Z') },
];

describe('merchant teams: migrating v1 merchants', () => {
  const stage = teamsStage({
    async beforeStart(db) {
      await migrate(db, [createMerchants]);
      for (const m of v1Merchants) {
        await db.sequelize.query(
          `INSERT INTO merchants (id, user_id, business_name, address_line1, address_city, address_country, currency, created_at, updated_at)
           VALUES (?, ?, 'V1 Shop', '1 Old Road', 'Oldtown', 'GB', 'GBP', ?, ?)`,
          { replacements: [m.id, m.user_id, m.created_at, m.created_at] },
        );
      }
    },
  });

  it('gives every v1 merchant its creator as owner, joined when the merchant was created, with no email or name yet', async () => {
    const [rows] = await stage.db.sequelize.query(
      'SELECT merchant_id, user_id, email, name, role FROM merchant_memberships ORDER BY joined_at',
    );
    assert.deepEqual(
      rows,
      v1Merchants.map((m) => ({ merchant_id: m.id, user_id: m.user_id, email: null, name: null, role: 'owner' })),
    );
    const [settings] = await stage.db.sequelize.query('SELECT require_mfa FROM merchants');
    assert.deepEqual(
      (settings as { require_mfa: number | boolean }[]).map((s) => Boolean(s.require_mfa)),
      [false, false],
    );
  });

  it('fills a v1 owner’s email and name from the token at their first request to a team route', async () => {
    const [v1] = v1Merchants;
    const token = stage.person().token;
    const owner = (claims = {}) => token({ sub: v1!.user_id, email: 'v1-owner@example.com', name: 'V1 Owner', ...claims });
    const mine = await stage.call<MyMerchants>('GET', '/merchants/mine', { token: owner() });
    assert.deepEqual(
      mine.body.items.map((i) => [i.merchant.id, i.role]),
      [[v1!.id, 'owner']],
    );
    const members = await stage.call<Members>('GET', `/merchants/${v1!.id}/members`, { token: owner() });
    assert.equal(members.status, 200);
    assert.deepEqual(members.body.items, [
      {
        merchant_id: v1!.id,
        user_id: v1!.user_id,
        email: 'v1-owner@example.com',
        name: 'V1 Owner',
        role: 'owner',
        joined_at: v1!.created_at.toISOString(),
      },
    ]);
  });
});
