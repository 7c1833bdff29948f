import { LatchkeyError, toUserView, userViewSchema } from '@latchkey/core';
import { z } from 'zod';
import { clientAddressKey } from '../../../plugins/client-address';
import { createRateLimitCheck } from '../../../plugins/rate-limits';
import { startSession } from '../../../plugins/sessions';
import { type RegisterRoute, typed, withoutNul } from '../../route';

const bodySchema = z.strictObject({
  username: withoutNul(z.string().min(1).max(64)),
  password: z.string().min(1).max(1024),
});

export const registerLogin: RegisterRoute = (app, deps) => {
  const windowSeconds = deps.config.loginLimitWindowSeconds;
  const perAddress = createRateLimitCheck(app, {
    name: 'login-address',
    max: deps.config.loginLimitPerAddress,
    windowSeconds,
    key: clientAddressKey,
  });
  const perAccount = createRateLimitCheck(app, {
    name: 'login-account',
    max: deps.config.loginLimitPerAccount,
    windowSeconds,
    key: (request) => String((request.body as { username?: unknown }).username).toLowerCase(),
  });

  typed(app).post('/api/auth/login', {
    schema: { tags: ['auth'], body: bodySchema, response: { 200: userViewSchema } },
    handler: async (request, reply) => {
      await perAddress(request, reply);
      await perAccount(request, reply);
      const user = await deps.store.users.findByUsername(request.body.username);
      const valid = await deps.passwords.verify(request.body.password, user?.passwordHash);
      if (!user || !valid) throw new LatchkeyError('invalid_credentials');
      await startSession(deps, reply, user);
      request.log.info({ userId: user.id }, 'user logged in');
      return toUserView(user);
    },
  });
};
