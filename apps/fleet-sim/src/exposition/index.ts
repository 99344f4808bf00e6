// Pure renderers from fleet-model data to exporter exposition text.
export { DcgmLabelCache, dcgmLabels, renderDcgm } from './dcgm';
export type { DcgmRenderOptions, HostnameLabel } from './dcgm';
export { DCGM_FIELDS } from './dcgm-fields';
export type { DcgmField } from './dcgm-fields';
export { renderKubeStateMetrics, sanitizeResourceName } from './kube-state-metrics';
export { EXPOSITION_CONTENT_TYPE, escapeLabelValue, formatDouble } from './text-format';
export { renderKepler } from './kepler';
export type { KeplerNodeView, KeplerVersion } from './kepler';
export { renderIpmi } from './ipmi';
export { renderFacilityMeter } from './facility-meter';
export { formatGoFloat } from './go-float';
export { renderNodeExporter } from './node-exporter';
export { renderCadvisor } from './cadvisor';
