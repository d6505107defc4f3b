// Preloaded into a CLI process by test/engine/builtCli.test.ts (`node --import <this file> …`): every
// password-hashing function of node:crypto writes `hash-trap: <name>` to stderr when called, so a
// test sees whether a command hashed a password (signed in) without changing what it does.
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';

for (const name of ['scrypt', 'scryptSync', 'pbkdf2', 'pbkdf2Sync']) {
  const original = crypto[name];
  crypto[name] = function trapped(...args) {
    process.stderr.write(`hash-trap: ${name}\n`);
    return original.apply(this, args);
  };
}
// Named imports (`import { scrypt } from 'node:crypto'`) see the wrapped functions too.
syncBuiltinESMExports();
