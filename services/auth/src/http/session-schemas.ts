import { z } from 'zod';
import { email } from '@merchant-platform/common/fields';

export const Session = z.object({
  id: z.string(),
  created_at: z.iso.datetime(),
  last_used_at: z.iso.datetime().describe('the sign-in or the latest refresh'),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  amr: z.array(z.string()).describe('RFC 8176 authentication methods, e.g. ["pwd"], ["hwk"]'),
  current: z.boolean().describe('the session of the access token that asks'),
});

export const SessionIdParams = z.object({ id: z.string().min(1).max(64) });

export const EmailChangeBody = z.object({ new_email: email });
