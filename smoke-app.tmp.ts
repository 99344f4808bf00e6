import { loadConfig } from '@kcloud/common';
import { createApp } from './apps/api/src/bootstrap';
async function main() {
  const app = await createApp(loadConfig({ PORT: '0', LOG_LEVEL: 'warn', ANALYZER_ENABLED: 'false' }));
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const q = async (query: string) => {
    const r = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return JSON.stringify(await r.json()).slice(0, 1500);
  };
  console.log(await q(`{ nodes(first: 2) { totalCount edges { node { name cluster powerWatts powerSource power { cpuWatts dramWatts gpuWatts otherWatts } gpus { uuid } pods { name namespace powerWatts } } } } }`));
  console.log(await q(`{ pods(first: 3) { totalCount edges { node { name namespace node cluster powerWatts energyJoules gpuRequests gpus { uuid } } } } }`));
  console.log(await q(`{ ipmiSensors(filter: {type: TEMPERATURE}) { cluster node bmc name type value unit state } }`));
  console.log(await q(`{ power { totalWatts byCluster { key watts } byNode { key cluster watts } byNamespace { key watts } byResourceType { key watts } } }`));
  console.log(await q(`{ pue(cluster: "kcloud-east") { value itPowerWatts facilityPowerWatts unattributedWatts method reason } }`));
  console.log(await q(`{ clusters { name status gpuCount npuCount nodeCount } cluster(name: "kcloud-east") { summary { nodeCount gpuCount podCount powerWatts } topology { nodes { name devices { id kind pod { name } } pods { name deviceIds } } } } }`));
  const now = Date.now();
  console.log(await q(`{ powerTimeseries(groupBy: RESOURCE_TYPE, range: {from: "${new Date(now - 60000).toISOString()}", to: "${new Date(now).toISOString()}", stepSeconds: 30}) { stepSeconds series { key points { timestamp watts } } } }`));
  console.log(await q(`{ energy(groupBy: CLUSTER, range: {from: "${new Date(now - 60000).toISOString()}", to: "${new Date(now).toISOString()}"}) { totalEnergyJoules totalEnergyKilowattHours groups { key energyJoules } } }`));
  console.log(await q(`{ vms { name } }`));
  console.log(await q(`{ containers(first: 2) { edges { node { name pod namespace powerWatts containerId } } } }`));
  await app.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
