/** Options of a yearly or monthly vault subscription (API 4.5.14, table 4-262). */
export interface SubscriptionOptions {
  /**
   * Renew the subscription automatically when it expires.
   * @default false
   */
  readonly autoRenew?: boolean;
  /**
   * Pay the order from the account balance as soon as it is placed. Without it the order waits
   * for payment in the Billing Center and the vault appears only once it is paid.
   * @default false
   */
  readonly autoPay?: boolean;
}

/**
 * How a vault is billed: pay-per-use (API 4.5.1), or a yearly/monthly subscription ordered through
 * API 4.5.14. The billing mode and the subscription period are set when the vault is created;
 * the API offers no call that changes them afterwards.
 */
export class VaultBilling {
  /** Pay-per-use (charging_mode post_paid), the default. */
  public static payPerUse(): VaultBilling {
    return new VaultBilling('post_paid', '', 0, false, false);
  }

  /** A subscription of `years` years (charging_mode pre_paid, period_type year). */
  public static yearly(years: number, options: SubscriptionOptions = {}): VaultBilling {
    return new VaultBilling('pre_paid', 'year', years, options.autoRenew ?? false, options.autoPay ?? false);
  }

  /** A subscription of `months` months (charging_mode pre_paid, period_type month). */
  public static monthly(months: number, options: SubscriptionOptions = {}): VaultBilling {
    return new VaultBilling('pre_paid', 'month', months, options.autoRenew ?? false, options.autoPay ?? false);
  }

  private constructor(
    /** post_paid or pre_paid. */
    public readonly chargingMode: string,
    /** year, month, or '' for pay-per-use. */
    public readonly periodType: string,
    /** Number of years or months; 0 for pay-per-use. */
    public readonly periodNum: number,
    /** Renew automatically. */
    public readonly autoRenew: boolean,
    /** Pay automatically. */
    public readonly autoPay: boolean,
  ) {}

  /** Whether this is a yearly/monthly subscription. */
  public get isPrePaid(): boolean {
    return this.chargingMode === 'pre_paid';
  }
}
