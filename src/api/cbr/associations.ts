import * as z from 'zod/mini';
import { array, object, required, string } from '../table';

/** Applying a policy to a vault (4.5.8) and removing it (4.5.9). */

/** Table 4-228. policy_id or add_policy_ids (1 to 10), not both; destination_vault_id for replication policies only. */
export const ASSOCIATE_POLICY = object({
  destination_vault_id: string({ min: 1 }),
  policy_id: string({ min: 1 }),
  add_policy_ids: array(string({ min: 1 }), { min: 1, max: 10 }),
});
export type AssociatePolicyRequest = z.input<typeof ASSOCIATE_POLICY>;

/** Table 4-233. */
export const DISSOCIATE_POLICY = object({
  policy_id: required(string({ min: 1 })),
});
