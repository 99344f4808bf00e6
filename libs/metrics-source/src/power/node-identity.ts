/** Node identity on power series: whichever label the exporter uses; a BMC's node from the configured map. */
const stripPort = (instance: string): string => instance.replace(/:\d+$/, '');

export function nodeOfLabels(labels: Readonly<Record<string, string>>): string {
  return (
    labels.node_name ||
    labels.Hostname ||
    labels.hostname ||
    labels.exported_instance ||
    stripPort(labels.instance ?? '')
  );
}

export function bmcNodeOf(instance: string, map: Readonly<Record<string, string>>): string {
  return map[instance] ?? map[stripPort(instance)] ?? stripPort(instance);
}
