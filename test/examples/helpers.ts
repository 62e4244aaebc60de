import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { specsOf } from '../support/specs';

/** The hook kinds, as the terraform_data resources `cbr_<kind>` are named. */
export type Kind = 'vault' | 'policy' | 'attachment' | 'association' | 'tag' | 'client';

/** The synthesized Terraform JSON of a stack. */
export type StackJson = { resource: { terraform_data: Record<string, any> }; locals?: Record<string, Record<string, any>> } & Record<string, any>;

/** Synthesizes a stack in a test app and parses its JSON. */
export function synthJson(build: (app: Construct) => Construct): StackJson {
  return JSON.parse(Testing.synth(build(Testing.app()) as any)) as StackJson;
}

/** The entries (key: construct path below the stack, value: the spec) of one hook table: the local its for_each iterates. */
export function table(json: StackJson, kind: Kind): Record<string, any> {
  const resource = json.resource.terraform_data[`cbr_${kind}`];
  if (!resource) throw new Error(`no terraform_data.cbr_${kind} in the stack`);
  expect(resource.for_each).toBe(`\${local.cbr_${kind}_inputs}`);
  return specsOf(json, kind);
}
