import { QueryTypes } from 'sequelize';
import { openDatabase } from '@merchant-platform/common/db/database';
import type { LegacyUser } from '../domain/seed-import.js';

/**
 * Reads every row of the old system's `merchant_user` table (MySQL). The table is small enough
 * to hold in memory (one row per user), and reading it whole lets the import see every case
 * variant of an email before it decides anything.
 */
export async function readLegacyUsers(sourceUrl: string): Promise<LegacyUser[]> {
  const source = await openDatabase(sourceUrl);
  try {
    return await source.sequelize.query<LegacyUser>(
      'SELECT user_id, email, first_name, middle_name, last_name, profile_picture, hashed_password, disabled FROM merchant_user ORDER BY user_id',
      { type: QueryTypes.SELECT },
    );
  } finally {
    await source.close();
  }
}
