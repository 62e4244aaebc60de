export * from './constructs/removal-policy';
export * from './constructs/vault';
export * from './constructs/vault-billing';
export * from './constructs/policy';
export * from './constructs/policy-attachment';
export * from './constructs/resource-association';
export * from './constructs/vault-tag';
export * from './schedule';
export * as hbr from './constructs/hbr';
