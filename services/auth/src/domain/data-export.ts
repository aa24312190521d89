import { activeUser } from './active-user.js';
import { presentUser } from './presenters.js';
import type { SecondFactors } from './second-factors.js';
import type { Sessions, SessionView } from './sessions.js';
import type { EmailPart, MerchantsPart, UserDataPeers } from './user-data-peers.js';
import type { UserRepository } from './user.js';
import type { FactorView, UserView } from './views.js';

/** The caller's security events (the event pipeline's audit log). */
export type SecurityEventsOf = (userId: string) => Promise<Record<string, unknown>[]>;

export interface DataExportDocument {
  exported_at: string;
  user: UserView;
  sessions: SessionView[];
  /** Metadata only: type, name and times; never a secret, hash or recovery code. */
  factors: FactorView[];
  memberships: MerchantsPart['memberships'];
  merchants: MerchantsPart['merchants'];
  security_events: Record<string, unknown>[];
  emails: EmailPart['emails'];
}

/** `GET /auth/me/export`: everything every service holds about the caller, in one document. */
export class DataExport {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: Sessions,
    private readonly factors: SecondFactors,
    private readonly peers: UserDataPeers,
    private readonly securityEventsOf: SecurityEventsOf,
  ) {}

  async export(userId: string, sessionId: string | undefined): Promise<DataExportDocument> {
    const user = await activeUser(this.users, userId);
    const [sessions, factors, merchants, emails, securityEvents] = await Promise.all([
      this.sessions.list(userId, sessionId),
      this.factors.list(userId),
      this.peers.merchantsDataOf(userId),
      this.peers.emailsTo(user.email),
      this.securityEventsOf(userId),
    ]);
    return {
      exported_at: new Date().toISOString(),
      user: presentUser(user),
      sessions,
      factors,
      memberships: merchants.memberships,
      merchants: merchants.merchants,
      security_events: securityEvents,
      emails: emails.emails,
    };
  }
}
