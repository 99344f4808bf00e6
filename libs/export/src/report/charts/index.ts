export * from './chart-specs';
export { renderSvg } from './render-svg';
