import { parseArgs } from 'node:util';
import { LatchkeyError } from '@latchkey/core';
import { z } from 'zod';
import { ConfigError } from '../config';
import { openCliContext } from './cli-context';
import { generateKey, rotateKeys } from './keys-commands';
import { addUser, listUsers, removeUser, setUserRole } from './users-commands';

const USAGE = `usage:
  latchkey users add <username> [--role admin|editor|viewer] [--password-stdin]
  latchkey users list
  latchkey users remove <username>
  latchkey users set-role <username> <role>
  latchkey keys rotate      re-encrypt every secret with the first (active) key
  latchkey keys generate    print a new key entry for LATCHKEY_ENCRYPTION_KEYS`;

const out = (line: string) => process.stdout.write(`${line}\n`);

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string', default: 'viewer' }, 'password-stdin': { type: 'boolean' } },
  });
  const [group, command, ...rest] = positionals;
  if (group === 'keys' && command === 'generate') return generateKey(out);
  const handler = pickHandler(`${group} ${command}`, rest, values);
  if (!handler) throw new UsageError();
  const ctx = await openCliContext(out);
  try {
    await handler(ctx);
  } finally {
    await ctx.store.close();
  }
}

function pickHandler(
  command: string,
  args: string[],
  values: { role?: string; 'password-stdin'?: boolean },
) {
  const [first, second] = args;
  switch (command) {
    case 'users add':
      return first
        ? async (ctx: Parameters<typeof listUsers>[0]) =>
            addUser(
              ctx,
              first,
              values.role ?? 'viewer',
              values['password-stdin'] ? await readStdinLine() : undefined,
            )
        : undefined;
    case 'users list':
      return listUsers;
    case 'users remove':
      return first ? (ctx: Parameters<typeof listUsers>[0]) => removeUser(ctx, first) : undefined;
    case 'users set-role':
      return first && second
        ? (ctx: Parameters<typeof listUsers>[0]) => setUserRole(ctx, first, second)
        : undefined;
    case 'keys rotate':
      return rotateKeys;
    default:
      return undefined;
  }
}

class UsageError extends Error {}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) console.error(USAGE);
  else if (error instanceof ConfigError || error instanceof LatchkeyError)
    console.error(error.message);
  else if (error instanceof z.ZodError)
    console.error(error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  else console.error(error);
  process.exitCode = 1;
});
