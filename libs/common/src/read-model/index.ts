export * from './collation';
export * from './read-model';
export * from './snapshot-memo';
