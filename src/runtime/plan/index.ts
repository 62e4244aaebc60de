export * from './plan';
export * from './format';
