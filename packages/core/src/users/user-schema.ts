import { z } from 'zod';
import { ROLES } from './roles';

export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._@-]{1,64}$/, '1-64 letters, digits, ".", "_", "@" or "-"');
// Long passphrases are welcome; the upper bound only keeps scrypt input sane.
export const passwordSchema = z.string().min(12, 'at least 12 characters').max(1024);
export const roleSchema = z.enum(ROLES);

export const createUserSchema = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema,
});

export const updateUserSchema = z
  .strictObject({ password: passwordSchema.optional(), role: roleSchema.optional() })
  .refine((patch) => patch.password !== undefined || patch.role !== undefined, {
    message: 'give a password or a role',
  });

export const userViewSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: roleSchema,
  createdAt: z.string(),
});

export type CreateUserInput = z.infer<typeof createUserSchema>;
export type UpdateUserInput = z.infer<typeof updateUserSchema>;
export type UserView = z.infer<typeof userViewSchema>;
