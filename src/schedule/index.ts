export * from './weekday';
export * from './utc-offset';
export * from './schedule';
export * from './retention';
