export * from './collation';
export * from './page';
export * from './read-model';
