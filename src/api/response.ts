import { en } from 'zod/locales';
import * as z from 'zod/mini';

// zod/mini (a twentieth of zod's size in the hook bundle) words its issues only once a locale is set.
z.config(en());

/**
 * Parses a response body with its schema. Returns the typed body, or the first problem with the
 * field's path (`vaults.0.billing.size: Invalid input: expected number, received string`), so the
 * caller can fail naming the API and the field instead of crashing later on a malformed value.
 */
export function parseResponse<S extends z.ZodMiniType>(schema: S, json: unknown): { data: z.infer<S> } | { problem: string } {
  const parsed = schema.safeParse(json);
  if (parsed.success) return { data: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the body';
  return { problem: `${field}: ${issue.message}` };
}
