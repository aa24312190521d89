import type { UserDataPeers } from '@merchant-platform/auth/domain/user-data-peers';
import type { EmailModule } from '@merchant-platform/email/app';
import type { MerchantsModule } from '@merchant-platform/merchants/app';

/**
 * Auth's peers in one process: the same use-cases merchants' and email's internal routes call,
 * without the HTTP hop (and so with the same answers, 409 `sole_owner` included).
 */
export function inProcessUserDataPeers(merchantsModule: () => MerchantsModule, email: EmailModule): UserDataPeers {
  const merchants = () => merchantsModule().userData;
  return {
    merchantsDataOf: (userId) => merchants().exports.export(userId),
    emailsTo: (address) => email.exportRecipient(address),
    admitDeparture: (userId) => merchants().departures.admit(userId),
    withdrawDeparture: (userId) => merchants().departures.cancel(userId),
  };
}
