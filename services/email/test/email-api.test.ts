import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ErrorBody } from '@merchant-platform/common/testing/http-server';
import type { AppError } from '@merchant-platform/common/errors';
import { outboxSender } from '../src/app.js';
import type { EmailView } from '../src/domain/views.js';
import type { SesEmulator } from '@merchant-platform/common/testing/ses-emulator';
import { countByStatus, waitFor, type RunningEmailService } from './support/email-service.js';
import { emailApiStage } from './support/email-api-stage.js';

const EMAIL_KEYS = ['attempts', 'created_at', 'id', 'last_error', 'message_id', 'sent_at', 'status', 'template', 'to'];
const RFC3339_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('email service API', () => {
  const stage = emailApiStage();
  const { call, post, unique, token } = stage;
  let ses: SesEmulator;
  let service: RunningEmailService;
  before(() => ({ ses, service } = stage));
  describe('POST /emails', () => {
    it('answers 202 with exactly the id and status queued, and the row is already committed', async () => {
      const to = unique('ada');
      const res = await post({ to, template: 'verify_email', data: { code: '123456' } });
      assert.equal(res.status, 202);
      assert.deepEqual(Object.keys(res.body).sort(), ['id', 'status']);
      assert.equal(res.body.status, 'queued');
      assert.match(res.body.id, /^[0-9a-f-]{36}$/);
      const [rows] = await service.db.sequelize.query('SELECT id, recipient, template FROM email_outbox WHERE id = ?', {
        replacements: [res.body.id],
      });
      assert.deepEqual(rows, [{ id: res.body.id, recipient: to, template: 'verify_email' }]);
    });

    it('delivers a code-carrying mail through SES with the code in both bodies and a neutral greeting', async () => {
      const to = unique('Grace.Hopper');
      const res = await post({ to: `  ${to.toUpperCase()} `, template: 'verify_email', data: { code: '042917' } });
      assert.equal(res.status, 202);
      const [mail] = await waitFor(
        'the mail in the emulator',
        () => ses.emailsTo(to.toLowerCase()),
        (m) => m.length === 1,
      );
      assert.equal(mail!.from, 'no-reply@merchant-platform.test');
      assert.equal(mail!.subject, 'Confirm your e-mail address');
      assert.match(mail!.body.text!, /^Hello,\n/);
      assert.match(mail!.body.text!, /Your verification code is: 042917\n/);
      assert.match(mail!.body.html!, />042917</);
    });

    it('puts no caller-chosen text in a code-carrying mail: fields besides the code are dropped', async () => {
      const verify = unique('verify-extra');
      const reset = unique('reset-extra');
      const lure = 'Ada, your account is frozen: call +1 555 0100 or visit https://evil.example';
      const data = { name: lure, code: '271828', link: 'https://evil.example/reset', subject: 'Urgent' };
      assert.equal((await post({ to: verify, template: 'verify_email', data })).status, 202);
      assert.equal((await post({ to: reset, template: 'password_reset', data })).status, 202);
      for (const to of [verify, reset]) {
        const [mail] = await waitFor(
          `the mail to ${to}`,
          () => ses.emailsTo(to),
          (m) => m.length === 1,
        );
        const everything = `${mail!.subject}\n${mail!.body.text}\n${mail!.body.html}`;
        assert.ok(!/evil|555|frozen|Ada|Urgent/.test(everything), `no caller text in ${everything}`);
        assert.match(mail!.body.text!, /: 271828\n/);
      }
    });

    it('escapes the name in the welcome HTML and keeps it as written in the text', async () => {
      const to = unique('welcome-html');
      assert.equal((await post({ to, template: 'welcome', data: { name: '<b>Grace</b> & "co"' } })).status, 202);
      const [mail] = await waitFor(
        'the mail',
        () => ses.emailsTo(to),
        (m) => m.length === 1,
      );
      assert.match(mail!.body.text!, /^Hi <b>Grace<\/b> & "co",/);
      assert.match(mail!.body.html!, /Hi &lt;b&gt;Grace&lt;\/b&gt; &amp; &quot;co&quot;,/);
      assert.ok(!mail!.body.html!.includes('<b>Grace'), 'no raw markup from data in the HTML');
    });

    it('renders password_reset and welcome with their own subjects', async () => {
      const reset = unique('reset');
      const welcome = unique('welcome');
      assert.equal((await post({ to: reset, template: 'password_reset', data: { code: '987654' } })).status, 202);
      assert.equal((await post({ to: welcome, template: 'welcome', data: { name: 'Ada' } })).status, 202);
      const [r] = await waitFor(
        'reset mail',
        () => ses.emailsTo(reset),
        (m) => m.length === 1,
      );
      const [w] = await waitFor(
        'welcome mail',
        () => ses.emailsTo(welcome),
        (m) => m.length === 1,
      );
      assert.equal(r!.subject, 'Your password reset code');
      assert.match(r!.body.text!, /^Hello,\n/);
      assert.match(r!.body.text!, /Your reset code is: 987654\n/);
      assert.equal(w!.subject, 'Welcome to Merchant Platform');
      assert.match(w!.body.text!, /^Hi Ada,/);
    });

    it('sends account_locked without data, telling the owner about the failed sign-ins and how to reset', async () => {
      const to = unique('locked');
      assert.equal((await post({ to, template: 'account_locked' })).status, 202);
      assert.equal((await post({ to, template: 'account_locked', data: { name: 'ignored', attempts: '99' } })).status, 202);
      const mails = await waitFor(
        'both mails',
        () => ses.emailsTo(to),
        (m) => m.length === 2,
      );
      for (const mail of mails) {
        assert.equal(mail.subject, 'Sign-in to your account is paused');
        assert.match(mail.body.text!, /^Hello,\n\nThere were many failed attempts to sign in/);
        assert.match(mail.body.text!, /reset your password: choose "Forgot password\?" on the sign-in page/);
        assert.match(mail.body.html!, /<strong>Forgot password\?<\/strong>/);
        assert.ok(!mail.body.text!.includes('ignored'));
      }
    });

    it('sends email_change_code with the code only, and email_change_notice without data naming no address', async () => {
      const fresh = unique('change-new');
      const old = unique('change-old');
      assert.equal((await post({ to: fresh, template: 'email_change_code', data: { code: '314159', name: 'lure' } })).status, 202);
      assert.equal((await post({ to: fresh, template: 'email_change_code', data: {} })).status, 422);
      assert.equal((await post({ to: old, template: 'email_change_notice', data: { new_email: fresh } })).status, 202);
      const [code] = await waitFor(
        'the code mail',
        () => ses.emailsTo(fresh),
        (m) => m.length === 1,
      );
      const [notice] = await waitFor(
        'the notice',
        () => ses.emailsTo(old),
        (m) => m.length === 1,
      );
      assert.equal(code!.subject, 'Confirm your new email address');
      assert.match(code!.body.text!, /Your confirmation code is: 314159\n/);
      assert.ok(!code!.body.text!.includes('lure'));
      assert.equal(notice!.subject, 'Your email address is being changed');
      const everything = `${notice!.body.text}\n${notice!.body.html}`;
      assert.ok(!everything.includes('@') && !/\d{6}/.test(everything), `no address or code in ${everything}`);
    });

    it('returns the first id for a repeated idempotency_key and sends one mail', async () => {
      const to = unique('idem');
      const body = { to, template: 'welcome', data: { name: 'Ada' }, idempotency_key: `welcome:${to}` };
      const first = await post(body);
      const second = await post({ ...body, data: { name: 'Someone else' } });
      assert.equal(first.status, 202);
      assert.equal(second.status, 202);
      assert.equal(second.body.id, first.body.id);
      await waitFor(
        'the mail',
        () => ses.emailsTo(to),
        (m) => m.length === 1,
      );
      const third = await post(body);
      assert.deepEqual(third.body, { id: first.body.id, status: 'sent' });
      // Only a row is ever sent, and there is one row: no second mail can follow.
      assert.deepEqual(await countByStatus(service.db, to), { sent: 1 });
      assert.match((await ses.emailsTo(to))[0]!.body.text!, /^Hi Ada,/);
    });

    it('keeps one row and one mail when 25 requests with one idempotency_key race', async () => {
      const to = unique('race');
      const body = { to, template: 'verify_email', data: { code: '111111' }, idempotency_key: 'race-key' };
      const results = await Promise.all(Array.from({ length: 25 }, () => post(body)));
      assert.deepEqual(
        results.filter((r) => r.status !== 202).map((r) => r.text),
        [],
      );
      assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
      assert.deepEqual(await countByStatus(service.db, to).then((c) => Object.values(c).reduce((a, b) => a + b, 0)), 1);
      await waitFor(
        'the mail',
        () => ses.emailsTo(to),
        (m) => m.length === 1,
      );
      assert.deepEqual(await countByStatus(service.db, to), { sent: 1 });
    });

    it('scopes idempotency keys to the caller', async () => {
      const to = unique('scoped');
      const viaHttp = await post({ to, template: 'welcome', data: { name: 'Ada' }, idempotency_key: 'shared-key' });
      const inProcess = await service.module.outbox.enqueue('auth', {
        to,
        template: 'welcome',
        data: { name: 'Ada' },
        idempotency_key: 'shared-key',
      });
      assert.notEqual(inProcess.id, viaHttp.body.id);
    });

    it('takes in-process mail through the same outbox and rules (all-in-one mode)', async () => {
      const to = unique('inproc');
      const sender = outboxSender(service.module.outbox, 'auth');
      const mail = { to, template: 'verify_email' as const, data: { code: '135790' }, idempotencyKey: 'code-1' };
      await sender.send(mail);
      await sender.send(mail);
      const [delivered] = await waitFor(
        'the mail',
        () => ses.emailsTo(to),
        (m) => m.length === 1,
      );
      assert.match(delivered!.body.text!, /Your verification code is: 135790\n/);
      const [rows] = await service.db.sequelize.query('SELECT caller, idempotency_key FROM email_outbox WHERE recipient = ?', {
        replacements: [to],
      });
      assert.deepEqual(rows, [{ caller: 'auth', idempotency_key: 'code-1' }]);
      await assert.rejects(sender.send({ ...mail, idempotencyKey: 'code-2', data: { name: 'Ada' } }), (e: AppError) => {
        assert.deepEqual(e.toBody(), {
          error: {
            code: 'validation_failed',
            message: 'The request is not valid.',
            details: [{ path: 'data.code', message: 'Invalid input: expected string, received undefined' }],
          },
        });
        return true;
      });
    });

    it('answers missing template data with 422 naming each missing field', async () => {
      const res = await post({ to: unique('missing'), template: 'verify_email', data: { name: 'Ada' } });
      assert.equal(res.status, 422);
      assert.deepEqual(res.body, {
        error: {
          code: 'validation_failed',
          message: 'The request is not valid.',
          details: [{ path: 'data.code', message: 'Invalid input: expected string, received undefined' }],
        },
      });
      const none = await post<ErrorBody>({ to: unique('missing'), template: 'password_reset' });
      assert.equal(none.status, 422);
      assert.deepEqual(
        none.body.error.details?.map((d) => d.path),
        ['data.code'],
      );
      const noName = await post<ErrorBody>({ to: unique('missing'), template: 'welcome', data: {} });
      assert.deepEqual(
        noName.body.error.details?.map((d) => d.path),
        ['data.name'],
      );
      const badCode = await post<ErrorBody>({ to: unique('missing'), template: 'password_reset', data: { code: '12345x' } });
      assert.deepEqual(badCode.body.error.details, [{ path: 'data.code', message: 'must be a 6-digit code' }]);
    });

    it('answers an unknown template or a bad address with 422', async () => {
      const res = await post<ErrorBody>({ to: 'not-an-address', template: 'newsletter', data: {} });
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.deepEqual(res.body.error.details?.map((d) => d.path).sort(), ['template', 'to']);
    });
  });

  describe('GET /emails/{id}', () => {
    it('shows exactly the contract fields, sent with the SES MessageId after delivery', async () => {
      const to = unique('status');
      const queued = await post({ to, template: 'welcome', data: { name: 'Ada' } });
      const res = await waitFor(
        'the row to be sent',
        () => call<EmailView>('GET', `/emails/${queued.body.id}`, { token }),
        (r) => r.body?.status === 'sent',
      );
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body).sort(), EMAIL_KEYS);
      const [stored] = await ses.emailsTo(to);
      assert.deepEqual(
        { ...res.body, created_at: 'x', sent_at: 'y' },
        {
          id: queued.body.id,
          status: 'sent',
          attempts: 1,
          template: 'welcome',
          to,
          message_id: stored!.messageId,
          last_error: null,
          created_at: 'x',
          sent_at: 'y',
        },
      );
      assert.match(res.body.created_at, RFC3339_MS);
      assert.match(res.body.sent_at ?? '', RFC3339_MS);
      assert.ok(!res.text.includes('Ada'), 'the template data is never returned');
    });

    it('answers 404 for an unknown id and for another caller’s message', async () => {
      const unknown = await call<ErrorBody>('GET', `/emails/${randomUUID()}`, { token });
      assert.equal(unknown.status, 404);
      assert.deepEqual(unknown.body, { error: { code: 'not_found', message: 'No e-mail with this id.' } });
      const theirs = await service.module.outbox.enqueue('auth', { to: unique('theirs'), template: 'welcome', data: { name: 'Ada' } });
      const hidden = await call<ErrorBody>('GET', `/emails/${theirs.id}`, { token });
      assert.equal(hidden.status, 404);
    });

    it('erases the template data once the row is final, so a code does not stay in the database', async () => {
      const queued = await post({ to: unique('erase'), template: 'verify_email', data: { code: '555000' } });
      await waitFor(
        'sent',
        () => call<EmailView>('GET', `/emails/${queued.body.id}`, { token }),
        (r) => r.body?.status === 'sent',
      );
      const [rows] = await service.db.sequelize.query('SELECT data FROM email_outbox WHERE id = ?', { replacements: [queued.body.id] });
      assert.deepEqual(rows, [{ data: null }]);
    });
  });

  describe('POST /send-email/ (the seed alias)', () => {
    it('queues verify_email with the otp as the code and answers like POST /emails', async () => {
      const to = unique('seed');
      for (const path of ['/send-email/', '/send-email']) {
        const res = await post({ email: to, subject: 'chosen by the caller', otp: '314159', user_id: 'u-1' }, path);
        assert.equal(res.status, 202, path);
        assert.deepEqual(Object.keys(res.body).sort(), ['id', 'status']);
      }
      const [mail] = await waitFor(
        'the mail',
        () => ses.emailsTo(to),
        (m) => m.length === 1,
      );
      assert.equal(mail!.subject, 'Confirm your e-mail address');
      assert.match(mail!.body.text!, /^Hello,\n/);
      assert.match(mail!.body.text!, /Your verification code is: 314159\n/);
      assert.deepEqual(await countByStatus(service.db, to), { sent: 1 }, 'the same user_id and otp again sends nothing new');
    });

    it('answers a missing or malformed otp with 422', async () => {
      const res = await post<ErrorBody>({ email: unique('seed'), subject: 's', otp: 'abc', user_id: 'u-1' }, '/send-email/');
      assert.equal(res.status, 422);
      assert.deepEqual(res.body.error.details, [{ path: 'otp', message: 'must be a 6-digit code' }]);
    });
  });
});
