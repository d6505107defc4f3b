import { addOperator, OPERATOR_NAME } from '../operators/operatorsRepo';
import { MIN_OPERATOR_PASSWORD_LENGTH, weakPasswordReason } from '../operators/passwordPolicy';
import { message, ServerMessageError } from './messages';
import { withDatabase } from './withDatabase';

/** `user add NAME --data DIR`: the password comes from SERVER_PASSWORD, never the command line. */
export async function userAdd(dataDir: string, name: string, env: NodeJS.ProcessEnv): Promise<void> {
  const normalized = name.normalize('NFC');
  if (!OPERATOR_NAME.test(normalized)) throw new ServerMessageError('name.invalid');
  const password = env.SERVER_PASSWORD;
  if (password === undefined) throw new ServerMessageError('password.missing');
  const weak = weakPasswordReason(normalized, password);
  if (weak) throw new ServerMessageError(`password.${weak}`, { min: MIN_OPERATOR_PASSWORD_LENGTH });
  const outcome = await withDatabase(dataDir, env, (sql) => addOperator(sql, normalized, password, new Date()));
  if (outcome === 'exists') throw new ServerMessageError('user.exists', { name: normalized });
  console.log(message('user.added', { name: normalized }, env));
}
