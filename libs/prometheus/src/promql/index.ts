export * from './matchers';
export * from './expr';
