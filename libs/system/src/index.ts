export * from './system.module';
export * from './system.service';
export * from './version';
export * from './logging/logging.module';
export * from './openapi/openapi';
export { RequestObservers } from './http-edge/request-observers';
