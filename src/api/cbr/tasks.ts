import * as z from 'zod/mini';

/**
 * Tasks (4.1.1 Querying a Single Task, 4.1.2 Querying the Task List): what the emulator answers.
 * The hook reads no task, so this module stays out of its bundle. The queries' enumerations are in
 * catalog.ts.
 */

/** OperationLog (Table 4-4): a task; `extra_info` (4-6) holds one object per task type, read as sent. */
export const OperationLog = z.looseObject({
  checkpoint_id: z.optional(z.string()),
  created_at: z.optional(z.string()),
  ended_at: z.optional(z.string()),
  error_info: z.optional(z.looseObject({ code: z.optional(z.string()), message: z.optional(z.string()) })),
  extra_info: z.optional(z.record(z.string(), z.unknown())),
  id: z.string(),
  operation_type: z.string(),
  policy_id: z.optional(z.string()),
  project_id: z.optional(z.string()),
  provider_id: z.optional(z.string()),
  started_at: z.optional(z.string()),
  status: z.string(),
  updated_at: z.optional(z.string()),
  vault_id: z.optional(z.string()),
  vault_name: z.optional(z.string()),
});
export type OperationLog = z.infer<typeof OperationLog>;

/** Response of 4.1.2: a page of tasks; `count` is the number matching the query. */
export const ListOperationLogsResponse = z.looseObject({
  operation_logs: z.array(OperationLog),
  count: z.optional(z.number()),
  limit: z.optional(z.number()),
  offset: z.optional(z.number()),
});
