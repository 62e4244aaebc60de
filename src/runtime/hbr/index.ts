export * from './client';
export * from './config';
export * from '../../api/hbr/signer';
export * from '../../api/hbr/actions';
export * from './versions';
