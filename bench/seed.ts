import { randomUUID } from 'node:crypto';
import { openDatabase } from '@merchant-platform/common/db/database';
import { defineAuthModels } from '@merchant-platform/auth/data/models';
import { PasswordHasher } from '@merchant-platform/auth/domain/passwords';
import { membershipModel } from '@merchant-platform/merchants/data/membership-model';
import { defineMerchantModel } from '@merchant-platform/merchants/data/merchant-model';

/** Every seeded user has this password (it meets the password policy). */
export const SEED_PASSWORD = 'Bench-Pass1!';

export const seededEmail = (index: number) => `bench-user-${index}@example.com`;

/** A signed-in seeded user: what the load sends as `Authorization: Bearer`. */
export interface SignedInUser {
  email: string;
  accessToken: string;
}

/** A signed-in owner with their merchant's id and an API key of it (scope `merchant:read`). */
export interface MerchantOwner extends SignedInUser {
  merchantId: string;
  apiKey: string;
}

/**
 * Writes `count` verified users, each with a merchant profile, straight into the database
 * through the services' own models (so the rows are exactly what the services write), with
 * one bcrypt hash made by the services' own hasher and shared by all: registering them
 * through the API would cost a bcrypt hash each, minutes of setup for nothing measured.
 */
export async function seedUsers(databaseUrl: string, count: number, bcryptCost: number, passwordPepper: string): Promise<void> {
  const db = await openDatabase(databaseUrl);
  try {
    const { User } = defineAuthModels(db.sequelize);
    const Merchant = defineMerchantModel(db.sequelize);
    const Membership = membershipModel(db.sequelize);
    const passwordHash = await new PasswordHasher(bcryptCost, passwordPepper).hash(SEED_PASSWORD);
    const batch = 500;
    for (let start = 0; start < count; start += batch) {
      const indexes = Array.from({ length: Math.min(batch, count - start) }, (_, i) => start + i);
      const users = indexes.map((i) => ({
        id: randomUUID(),
        email: seededEmail(i),
        password_hash: passwordHash,
        google_subject: null,
        first_name: 'Bench',
        middle_name: null,
        last_name: `User ${i}`,
        profile_picture: null,
        email_verified: true,
        roles: 'merchant',
      }));
      const merchantIds = users.map(() => randomUUID());
      await db.sequelize.transaction(async (transaction) => {
        await User.bulkCreate(users, { transaction });
        await Merchant.bulkCreate(
          users.map((user, i) => ({
            id: merchantIds[i]!,
            user_id: user.id,
            business_name: `Bench Shop ${indexes[i]}`,
            business_type: 'retail',
            phone: '+14155550123',
            website: 'https://shop.example.com',
            address_line1: '1 Market Street',
            address_line2: null,
            address_city: 'San Francisco',
            address_region: 'CA',
            address_postal_code: '94105',
            address_country: 'US',
            currency: 'USD',
          })),
          { transaction },
        );
        // Each creator owns their merchant, as PUT /merchants/me makes it; email and name fill in at the first team request.
        await Membership.bulkCreate(
          users.map((user, i) => ({
            merchant_id: merchantIds[i]!,
            user_id: user.id,
            email: null,
            name: null,
            role: 'owner' as const,
            joined_at: new Date(),
          })),
          { transaction },
        );
      });
    }
  } finally {
    await db.close();
  }
}

/** Signs seeded users in through the real `POST /auth/token`, a few at a time (bcrypt-bound). */
export async function signIn(baseUrl: string, count: number, concurrency = 8): Promise<SignedInUser[]> {
  const users: SignedInUser[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const email = seededEmail(index);
      const response = await fetch(`${baseUrl}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: SEED_PASSWORD }),
      });
      const body = (await response.json()) as { access_token?: string };
      if (response.status !== 200 || !body.access_token) throw new Error(`sign-in of ${email} answered ${response.status}`);
      users[index] = { email, accessToken: body.access_token };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return users;
}

/**
 * For each signed-in user: their merchant's id (`GET /merchants/me`) and a new API key of it
 * (`POST /merchants/{id}/api-keys`, through the merchants service), so the profile rows read the
 * same merchant with a JWT and with a key.
 */
export async function issueApiKeys(merchantsUrl: string, users: SignedInUser[]): Promise<MerchantOwner[]> {
  const call = async <T>(user: SignedInUser, method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${merchantsUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${user.accessToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path} as ${user.email} answered ${response.status}`);
    return (await response.json()) as T;
  };
  return Promise.all(
    users.map(async (user) => {
      const { merchant } = await call<{ merchant: { id: string } }>(user, 'GET', '/merchants/me');
      const { secret } = await call<{ secret: string }>(user, 'POST', `/merchants/${merchant.id}/api-keys`, {
        name: 'bench',
        scopes: ['merchant:read'],
      });
      return { ...user, merchantId: merchant.id, apiKey: secret };
    }),
  );
}
