export * from './collation';
export * from './read-model';
