import { IConstruct } from 'constructs';
import { reportViolation } from './private/violation';
import { locationViolation } from '../rules/location';

/** Where CBR objects live: a region, and the project in it (CBR is a project-level service). */
export interface CbrLocationOptions {
  /**
   * The region ID, e.g. `ap-southeast-1`.
   * @default - the nearest enclosing scope's `CbrDefaults`, else the region of the terraform run (HW_REGION_NAME)
   */
  readonly region?: string;
  /**
   * The project ID in that region (console: My Credentials > API Credentials; API reference 7.3).
   * A region other than HW_REGION_NAME needs it: HW_PROJECT_ID is that region's project.
   * @default - the nearest enclosing scope's `CbrDefaults`, else HW_PROJECT_ID of the terraform run
   */
  readonly projectId?: string;
}

const DEFAULTS = Symbol.for('cdktf-cbr.CbrDefaults');

/**
 * The region and project of every CBR construct declared under a scope that names none itself,
 * e.g. a stack's, or a construct that groups a disaster-recovery site. Set it before declaring the
 * constructs below the scope: they read it when they are created. The nearest scope that sets
 * one wins, region and project together.
 */
export class CbrDefaults {
  /** Sets the defaults of `scope` and every construct below it. */
  public static set(scope: IConstruct, options: CbrLocationOptions): void {
    reportViolation(scope, locationViolation(options));
    (scope as any)[DEFAULTS] = { region: options.region, projectId: options.projectId };
  }

  /** The defaults that apply to constructs created under `scope`: its own, or its nearest ancestor's; none set: both undefined. */
  public static of(scope: IConstruct): CbrLocationOptions {
    for (let s: IConstruct | undefined = scope; s; s = s.node.scope) {
      const own = (s as any)[DEFAULTS] as CbrLocationOptions | undefined;
      if (own) return own;
    }
    return {};
  }

  private constructor() {}
}
