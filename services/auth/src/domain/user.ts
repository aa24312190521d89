import type { AuthMethod } from '@merchant-platform/common/tokens/access-token';

export const ROLES = ['merchant', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  email: string;
  passwordHash: string | null;
  googleSubject: string | null;
  firstName: string;
  middleName: string | null;
  lastName: string;
  profilePicture: string | null;
  emailVerified: boolean;
  roles: Role[];
  disabled: boolean;
  /** Derived from the passkey credentials; not a column of its own. */
  hasPasskey: boolean;
  createdAt: Date;
}

export type NewUser = Omit<User, 'id' | 'disabled' | 'hasPasskey' | 'createdAt'>;

export type ProfileChanges = Partial<Pick<User, 'firstName' | 'middleName' | 'lastName' | 'profilePicture'>>;

export type UserChanges = Partial<Pick<User, 'passwordHash' | 'googleSubject' | 'emailVerified' | 'roles' | 'disabled'>> & ProfileChanges;

export interface UserRepository {
  /** Inserts, or returns undefined when the email (or Google subject) is already taken. */
  create(user: NewUser): Promise<User | undefined>;
  findById(id: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  findByGoogleSubject(subject: string): Promise<User | undefined>;
  update(id: string, changes: UserChanges): Promise<User | undefined>;
  /** Moves the account to a proven address; undefined when another account holds it (the unique index decides races). */
  changeEmail(id: string, email: string, roles: Role[]): Promise<User | undefined>;
  listPage(limit: number, after: { createdAt: Date; id: string } | undefined): Promise<User[]>;
}

export function authMethodsOf(user: User): AuthMethod[] {
  const methods: AuthMethod[] = [];
  if (user.passwordHash) methods.push('password');
  if (user.googleSubject) methods.push('google');
  if (user.hasPasskey) methods.push('passkey');
  return methods;
}

export function displayName(user: Pick<User, 'firstName' | 'middleName' | 'lastName'>): string {
  return [user.firstName, user.middleName, user.lastName].filter(Boolean).join(' ');
}
