import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
// In your app: import { ... } from 'cdktf-cbr';
import { ConsistentLevel, Policy, Retention, Schedule, UtcOffset, Vault, VaultObjectType, Weekday } from '../../src';

/**
 * Long-term retention ("grandfather-father-son"): besides a number of recent backups, keep the
 * latest backup of each day, week, month and year. Days, weeks, months and years begin in the
 * retention's timezone, which the API requires whenever one of these counts is set.
 *
 * - `DatabaseServers`: backed up every day at 01:30 Beijing time; keeps the 14 most recent
 *   backups plus 7 daily, 4 weekly, 12 monthly and 3 yearly ones, with a full backup after
 *   every 6 incremental ones.
 * - `ArchiveDisks`: backed up on Saturdays at 23:00 in New York (UTC-05:00, which is Sunday 04:00
 *   UTC); keeps one backup per week for a year and one per year for 7 years.
 */
export function buildLongTermRetention(scope: Construct): void {
  const beijing = UtcOffset.hours(8);
  const databases = new Vault(scope, 'DatabaseServers', {
    vaultName: 'db-servers',
    objectType: VaultObjectType.SERVER,
    size: 500,
    consistentLevel: ConsistentLevel.APP_CONSISTENT,
    description: 'database servers, long-term retention',
  });
  databases.attachPolicy(new Policy(scope, 'DatabaseLongTerm', {
    policyName: 'db-long-term',
    schedule: Schedule.daily({ hour: 1, minute: 30, utcOffset: beijing }),
    retention: Retention.longTerm({
      daily: 7,
      weekly: 4,
      monthly: 12,
      yearly: 3,
      timezone: beijing,
      maxBackups: 14,
    }).withFullBackupInterval(6),
  }));

  const newYork = UtcOffset.hours(-5);
  const archive = new Vault(scope, 'ArchiveDisks', {
    vaultName: 'archive-disks',
    objectType: VaultObjectType.DISK,
    size: 1000,
  });
  archive.attachPolicy(new Policy(scope, 'ArchiveWeekly', {
    policyName: 'archive-weekly',
    schedule: Schedule.weekly({ days: [Weekday.SATURDAY], hour: 23, utcOffset: newYork }),
    retention: Retention.longTerm({ weekly: 52, yearly: 7, timezone: newYork }),
  }));
}

/** The example as a stack of its own. */
export class LongTermRetentionStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    buildLongTermRetention(this);
  }
}
