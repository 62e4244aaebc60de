export * from './retry';
export * from './transport';
