export * from './constructs/removal-policy';
export * from './constructs/vault';
export * from './constructs/policy';
export * from './schedule';
