import { randomUUID } from 'node:crypto';
import { openDatabase } from '@merchant-platform/common/db/database';
import { defineAuthModels } from '@merchant-platform/auth/data/models';
import { PasswordHasher } from '@merchant-platform/auth/domain/passwords';
import { defineMerchantModel } from '@merchant-platform/merchants/data/merchant-model';

/** Every seeded user has this password (it meets the password policy). */
export const SEED_PASSWORD = 'Bench-Pass1!';

export const seededEmail = (index: number) => `bench-user-${index}@example.com`;

/** A signed-in seeded user: what the load sends as `Authorization: Bearer`. */
export interface SignedInUser {
  email: string;
  accessToken: string;
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
      await db.sequelize.transaction(async (transaction) => {
        await User.bulkCreate(users, { transaction });
        await Merchant.bulkCreate(
          users.map((user, i) => ({
            id: randomUUID(),
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
