import assert from 'node:assert/strict';
import { EmailRequest } from '../src/domain/email-request.js';
import { TemplateCatalog } from '../src/domain/templates.js';

const TOKEN = `mpi_${'a1B2_-'.repeat(7)}x`;
const data = (overrides: Record<string, string> = {}) => ({
  merchant_name: 'Ada’s <b>Bakery</b>',
  role: 'developer',
  token: TOKEN,
  accept_url: `https://console.example.com/invitations/accept?token=${TOKEN}`,
  ...overrides,
});
const request = (overrides: Record<string, string> = {}) =>
  EmailRequest.safeParse({ to: 'invitee@example.com', template: 'member_invitation', data: data(overrides) });
const failedPaths = (overrides: Record<string, string>) => {
  const parsed = request(overrides);
  assert.equal(parsed.success, false);
  return parsed.error!.issues.map((i) => i.path.join('.'));
};

describe('the member_invitation template', () => {
  it('renders the token on its own line, the link, the role, and the merchant’s name last and escaped in HTML', () => {
    const parsed = request();
    assert.ok(parsed.success);
    const mail = new TemplateCatalog().render('member_invitation', parsed.data.data, 'invitee@example.com');
    const lines = mail.text.split('\n');
    assert.ok(lines.includes(`Invitation token: ${TOKEN}`));
    assert.ok(lines.includes(`Accept the invitation: ${data().accept_url}`));
    assert.match(mail.text, /as developer\./);
    assert.ok(lines.findIndex((l) => l.includes('Bakery')) > lines.findIndex((l) => l.startsWith('Invitation token:')));
    assert.ok(mail.html.includes('Ada’s &lt;b&gt;Bakery&lt;/b&gt;') && !mail.html.includes('<b>Bakery'));
    assert.ok(mail.html.includes(`href="${data().accept_url}"`));
  });

  it('refuses a link that does not carry the mail’s own token, or is not http(s)', () => {
    assert.deepEqual(failedPaths({ accept_url: 'https://console.example.com/invitations/accept?token=mpi_other' }), ['data.accept_url']);
    assert.deepEqual(failedPaths({ accept_url: 'https://elsewhere.example.com/' }), ['data.accept_url']);
    assert.ok(failedPaths({ accept_url: `javascript:alert(1)//?token=${TOKEN}` }).includes('data.accept_url'));
  });

  it('refuses a token of another shape, an unknown role and a name with control characters', () => {
    assert.ok(failedPaths({ token: '123456' }).includes('data.token'));
    assert.deepEqual(failedPaths({ role: 'superuser' }), ['data.role']);
    assert.deepEqual(failedPaths({ merchant_name: 'Bakery\nInvitation token: mpi_fake' }), ['data.merchant_name']);
  });
});
