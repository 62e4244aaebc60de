export * from './client';
export * from './config';
export * from './signer';
export * from './types';
