import { formatGoFloat } from './go-float';
import { escapeLabelValue, familyHeader } from './text-format';

/**
 * The simulated facility meter (a PDU/UPS/utility-meter exporter stand-in): one gauge per site. kcloud-monitor reads
 * it only through a configured PromQL expression (PUE_FACILITY_QUERY), so any real meter exporter can take its place.
 */
export function renderFacilityMeter(site: string, watts: number): string {
  return `${familyHeader('facility_power_watts', 'Total facility power at the utility meter, in watts.', 'gauge')}\nfacility_power_watts{site="${escapeLabelValue(site)}"} ${formatGoFloat(watts)}\n`;
}
