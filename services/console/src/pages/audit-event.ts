/** An event as auth's audit log and activity list answer it. */
export interface AuditEvent {
  id: string;
  type: string;
  created_at: string;
  actor: { type: string; id: string | null };
  subject: { type: string; id: string | null };
  merchant_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  data: Record<string, unknown>;
}
