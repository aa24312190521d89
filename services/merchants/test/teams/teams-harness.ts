import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from '@merchant-platform/common/db/database';
import { SchemaMigrator, type Migration } from '@merchant-platform/common/db/migrations';
import { createOpenApiRegistry } from '@merchant-platform/common/http/openapi';
import { captureLogs } from '@merchant-platform/common/testing/log-capture';
import { request, type RequestOptions, type RunningServer } from '@merchant-platform/common/testing/http-server';
import { serveModules } from '@merchant-platform/common/testing/test-app';
import { createTestDatabase, type TestDatabase } from '@merchant-platform/common/testing/test-database';
import { createTestTokens } from '@merchant-platform/common/testing/test-tokens';
import { createMerchantsModule, merchantsMigrations, type MerchantsDependencies, type MerchantsModule } from '../../src/app.js';
import type { Role } from '../../src/domain/roles.js';
import type { MembershipView, MerchantView } from '../../src/domain/views.js';

// The bodies the team routes answer, from the schemas that document them.
export type OwnMerchant = { merchant: MerchantView };
export type MyMerchants = { items: { merchant: MerchantView; role: Role }[] };
export type Members = { items: MembershipView[] };
export type OneMembership = { membership: MembershipView };
export type Settings = { settings: { require_mfa: boolean } };

export const profile = (overrides: Record<string, unknown> = {}) => ({
  business_name: 'Ada’s Bakery',
  address: { line1: '1 Main St', city: 'Springfield', country: 'US' },
  ...overrides,
});

/** A person with a token as auth would sign it after a fresh password sign-in; `token(claims)` varies it. */
export interface Person {
  sub: string;
  email: string;
  token: (claims?: Record<string, unknown>) => string;
}

/**
 * The merchants module on a fresh database (SQLite or MariaDB, per DATABASE_URL). `beforeStart`
 * sees the database before the server starts, so a migration test can lay down v1 data first.
 */
export function teamsStage(
  options: {
    beforeStart?: (db: Database) => Promise<void>;
    apiKeyRatePerMinute?: number;
    serviceToken?: string;
    /** The invitation settings of the module (its mailer, console URL and rate). */
    invitations?: Pick<MerchantsDependencies, 'mailer' | 'consoleUrl' | 'invitationRatePerHour'>;
    /** Stops what was started on the stage's database (another service's module) before it closes. */
    beforeClose?: () => Promise<void>;
    /** More of the module's dependencies (webhook settings, a resolver). */
    module?: Partial<MerchantsDependencies>;
  } = {},
) {
  const tokens = createTestTokens();
  const logs = captureLogs();
  let testDb: TestDatabase;
  let server: RunningServer;
  const stage = {
    db: undefined as unknown as Database,
    /** The module under test (not started: its dispatcher runs only when a test calls it). */
    module: undefined as unknown as MerchantsModule,
    /** The fresh database's URL, for a process of the test's own (a dispatcher) to share it. */
    databaseUrl: '',
    logs,
    call: <Body>(method: string, path: string, options?: RequestOptions) => request<Body>(server.url, method, path, options),
    person(): Person {
      const sub = randomUUID();
      const email = `${sub.slice(0, 8)}@example.com`;
      const token = (claims: Record<string, unknown> = {}) =>
        tokens.sign({ sub, email, name: `Person ${sub.slice(0, 4)}`, amr: ['pwd'], auth_time: Math.floor(Date.now() / 1000), ...claims });
      return { sub, email, token };
    },
    /** A merchant created through `PUT /merchants/me`, so its creator is its owner. */
    async merchantOwnedBy(owner: Person): Promise<string> {
      const res = await stage.call<OwnMerchant>('PUT', '/merchants/me', { token: owner.token(), json: profile() });
      if (res.status !== 201) throw new Error(`could not create a merchant: ${res.status} ${res.text}`);
      return res.body.merchant.id;
    },
    /** A member put straight in the table, for tests about what members do (invitations have their own tests). */
    async seat(merchantId: string, role: Role): Promise<Person> {
      const member = stage.person();
      await stage.db.sequelize.query(
        'INSERT INTO merchant_memberships (merchant_id, user_id, email, name, role, joined_at) VALUES (?, ?, ?, ?, ?, ?)',
        { replacements: [merchantId, member.sub, member.email, 'Seated', role, new Date()] },
      );
      return member;
    },
    async ownerCount(merchantId: string): Promise<number> {
      const [rows] = await stage.db.sequelize.query(
        "SELECT COUNT(*) AS n FROM merchant_memberships WHERE merchant_id = ? AND role = 'owner'",
        {
          replacements: [merchantId],
        },
      );
      return Number((rows as { n: number }[])[0]!.n);
    },
  };

  before(async () => {
    testDb = await createTestDatabase();
    stage.databaseUrl = testDb.url;
    stage.db = await openDatabase(testDb.url);
    await options.beforeStart?.(stage.db);
    await migrate(stage.db, merchantsMigrations);
    const openapi = createOpenApiRegistry();
    const module = createMerchantsModule({
      db: stage.db,
      logger: logs.logger,
      openapi,
      verifier: tokens.verifier,
      apiKeyRatePerMinute: options.apiKeyRatePerMinute,
      ...options.invitations,
      serviceAuth: { SERVICE_TOKEN: options.serviceToken },
      ...options.module,
    });
    stage.module = module;
    server = await serveModules({ modules: [module], openapi, logger: logs.logger });
  });
  after(async () => {
    await options.beforeClose?.();
    await server?.close();
    await stage.db?.close();
    await testDb?.drop();
  });
  return stage;
}

export const migrate = (db: Database, migrations: Migration[]) => new SchemaMigrator(db, 'merchants', migrations).up();
