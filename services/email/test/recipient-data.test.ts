import assert from 'node:assert/strict';
import { assertError } from '@merchant-platform/common/testing/http-server';
import type { RecipientExportView } from '../src/domain/recipient-data.js';
import { countByStatus, waitFor } from './support/email-service.js';
import { emailApiStage } from './support/email-api-stage.js';

const RFC3339_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe("email: a person's mail in their data export, and its erasure", function () {
  this.timeout(60_000);
  const stage = emailApiStage();
  const { call, post, unique, token } = stage;
  const exportOf = (address: string) =>
    call<RecipientExportView>('GET', `/internal/recipients/export?address=${encodeURIComponent(address)}`, { token });
  const rowsTo = async (address: string) => {
    const [rows] = await stage.service.db.sequelize.query('SELECT id FROM email_outbox WHERE recipient = ?', { replacements: [address] });
    return rows.length;
  };

  it('lists the mail sent to the address, oldest first, with template, status and times only: never the code', async () => {
    const ada = unique('ada');
    const first = await post({ to: ada, template: 'verify_email', data: { code: '314159' } });
    const second = await post({ to: ada, template: 'welcome', data: { name: 'Ada' } });
    await post({ to: unique('someone-else'), template: 'verify_email', data: { code: '271828' } });
    await waitFor(
      'both sent',
      () => countByStatus(stage.service.db, ada),
      (c) => c.sent === 2,
    );

    const res = await exportOf(` ${ada.toUpperCase()} `);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['emails']);
    assert.deepEqual(
      res.body.emails.map((e) => [e.id, e.template, e.status]),
      [
        [first.body.id, 'verify_email', 'sent'],
        [second.body.id, 'welcome', 'sent'],
      ],
    );
    for (const mail of res.body.emails) {
      assert.deepEqual(Object.keys(mail).sort(), ['created_at', 'id', 'sent_at', 'status', 'template']);
      assert.match(mail.created_at, RFC3339_MS);
      assert.match(mail.sent_at!, RFC3339_MS);
    }
    assert.doesNotMatch(res.text, /314159|Ada"|code/i);
  });

  it('answers only a service, and 422 to a missing or malformed address', async () => {
    assertError(await call('GET', '/internal/recipients/export?address=a%40example.com'), 401, 'unauthenticated');
    assertError(await call('GET', '/internal/recipients/export', { token }), 422, 'validation_failed');
    assertError(await call('GET', '/internal/recipients/export?address=not-an-address', { token }), 422, 'validation_failed');
  });

  it('erases every row to the address (however it is written), leaves others alone, and is idempotent', async () => {
    const ada = unique('erase-me');
    const other = unique('keep-me');
    await post({ to: ada, template: 'verify_email', data: { code: '123456' } });
    await post({ to: ada, template: 'password_reset', data: { code: '654321' } });
    await post({ to: other, template: 'welcome', data: { name: 'Grace' } });
    assert.equal(await stage.service.module.eraseEmailsTo(ada.toUpperCase()), 2);
    assert.equal(await rowsTo(ada), 0);
    assert.equal(await rowsTo(other), 1);
    assert.equal(await stage.service.module.eraseEmailsTo(ada), 0);
    assert.deepEqual((await exportOf(ada)).body, { emails: [] });
  });

  it('spares mail created after the deletion: the next owner of a freed address keeps their code', async () => {
    const address = unique('reused');
    await post({ to: address, template: 'verify_email', data: { code: '111111' } });
    const deletedAt = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const newcomer = await post({ to: address, template: 'verify_email', data: { code: '222222' } });
    assert.equal(await stage.service.module.eraseEmailsTo(address, deletedAt), 1);
    assert.deepEqual(
      (await exportOf(address)).body.emails.map((e) => e.id),
      [newcomer.body.id],
    );
  });
});
