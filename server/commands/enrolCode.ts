import { z } from 'zod';
import { askRunningServer } from '../admin/adminClient';
import { createEnrolCode } from '../enrol/enrolCodes';
import { refuseKeyMissingForChain, refuseKeyNotTheChains } from '../keys/keyOfChain';
import { loadOrCreateServerKey } from '../keys/serverKey';
import { message, ServerMessageError } from './messages';
import { withDatabase } from './withDatabase';

const Answer = z.object({ code: z.string(), expiresAt: z.string() });

/** `enrol-code --data DIR`: explains, then prints the code alone on the last line (for scripts). */
export async function enrolCode(dataDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const asked = await askRunningServer(dataDir, 'POST', '/admin/enrol-code');
  let made: { code: string; expiresAt: string };
  if (asked.reached) {
    const parsed = Answer.safeParse(asked.body);
    if (asked.status !== 200 || !parsed.success) {
      throw new ServerMessageError('admin.failed', { reason: JSON.stringify(asked.body) });
    }
    made = parsed.data;
  } else {
    made = await withDatabase(dataDir, env, async (sql) => {
      // A code names the key stations will pin: never one the receipt chain does not know.
      await refuseKeyMissingForChain(sql, dataDir);
      const key = await loadOrCreateServerKey(dataDir);
      await refuseKeyNotTheChains(sql, key.fingerprint);
      const code = await createEnrolCode(sql, key.fingerprint, new Date());
      return { code: code.code, expiresAt: code.expiresAt.toISOString() };
    });
  }
  console.log(message('enrolCode.made', { expiresAt: made.expiresAt }, env));
  console.log(made.code);
}
