import { email as emailField } from '@merchant-platform/common/fields';
import { importedPasslibHash } from './passwords.js';
import type { UserRepository } from './user.js';

/** One row of the old system's `merchant_user` table, as read. */
export interface LegacyUser {
  user_id: number | string;
  email: string;
  first_name: string | null;
  middle_name: string | null;
  last_name: string | null;
  profile_picture: string | null;
  hashed_password: string;
  disabled: boolean | number | null;
}

export interface SeedImportCounts {
  imported: number;
  skipped: number;
  conflicts: number;
}

/** What the import tells the operator as it goes; never a password hash. */
export interface SeedImportProgress {
  /** Called after each row with the counts so far and the number of rows in all. */
  row(done: number, total: number): void;
  skipped(userId: string, reason: string): void;
  conflict(normalisedEmail: string, userIds: string[]): void;
}

/**
 * Brings the old system's users over. Emails are normalised as ours are (trimmed, lower-cased);
 * rows whose emails differ only in case are two people or one person twice, which only a human
 * can tell, so they are reported and none of them imported. An email already present here
 * (a re-run, or someone who signed up meanwhile) is skipped, so a re-run changes nothing; the
 * unique index decides, so two imports at once cannot both insert a row.
 */
export class SeedImport {
  constructor(
    private readonly users: UserRepository,
    private readonly progress: SeedImportProgress,
  ) {}

  async run(rows: LegacyUser[], options: { dryRun: boolean }): Promise<SeedImportCounts> {
    const counts: SeedImportCounts = { imported: 0, skipped: 0, conflicts: 0 };
    const { byEmail, invalid } = groupByNormalisedEmail(rows);
    let done = 0;
    const advance = (by: number) => this.progress.row((done += by), rows.length);
    for (const row of invalid) {
      this.progress.skipped(String(row.user_id), 'the email is not a valid address');
      counts.skipped += 1;
      advance(1);
    }
    for (const [normalised, group] of byEmail) {
      if (group.length > 1) {
        this.progress.conflict(
          normalised,
          group.map((row) => String(row.user_id)),
        );
        counts.conflicts += group.length;
      } else {
        counts[await this.importOne(group[0]!, normalised, options.dryRun)] += 1;
      }
      advance(group.length);
    }
    return counts;
  }

  private async importOne(row: LegacyUser, normalised: string, dryRun: boolean): Promise<'imported' | 'skipped'> {
    const skip = (reason: string) => {
      this.progress.skipped(String(row.user_id), reason);
      return 'skipped' as const;
    };
    const passwordHash = importedPasslibHash(row.hashed_password);
    if (!passwordHash) return skip('the password hash is not a passlib bcrypt hash');
    if (await this.users.findByEmail(normalised)) return skip('the email already has an account here');
    if (dryRun) return 'imported';
    const user = await this.users.create({
      email: normalised,
      passwordHash,
      googleSubject: null,
      firstName: nameOrDash(row.first_name),
      middleName: blankToNull(row.middle_name),
      lastName: nameOrDash(row.last_name),
      profilePicture: blankToNull(row.profile_picture),
      // The old system never proved the address; the user proves it here as any new user does.
      emailVerified: false,
      roles: ['merchant'],
    });
    if (!user) return skip('the email already has an account here');
    if (row.disabled) await this.users.update(user.id, { disabled: true });
    return 'imported';
  }
}

/** Rows grouped by normalised email, in the order first seen, and the rows with no valid address. */
function groupByNormalisedEmail(rows: LegacyUser[]): { byEmail: Map<string, LegacyUser[]>; invalid: LegacyUser[] } {
  const byEmail = new Map<string, LegacyUser[]>();
  const invalid: LegacyUser[] = [];
  for (const row of rows) {
    const parsed = emailField.safeParse(row.email);
    if (parsed.success) byEmail.set(parsed.data, [...(byEmail.get(parsed.data) ?? []), row]);
    else invalid.push(row);
  }
  return { byEmail, invalid };
}

function blankToNull(value: string | null): string | null {
  return value === null || value.trim() === '' ? null : value.trim();
}

/** Our names are required; the old table allowed empty ones. */
function nameOrDash(value: string | null): string {
  return blankToNull(value) ?? '-';
}
