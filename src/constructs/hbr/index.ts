export * from './backup-client';
