export * from './drift';
export * from './format';
export * from './stacks';
