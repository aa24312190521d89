import { invitationStatus, type Invitation } from './invitation.js';
import type { InvitationView } from './views.js';

/** Field by field, so the token's hash (or any later column) never reaches a response. */
export function presentInvitation(invitation: Invitation, now: Date): InvitationView {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    status: invitationStatus(invitation, now),
    expires_at: invitation.expires_at.toISOString(),
    created_at: invitation.created_at.toISOString(),
  };
}
