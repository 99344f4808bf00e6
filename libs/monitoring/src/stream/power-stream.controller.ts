import { Controller, type MessageEvent, Query, Sse, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { badInput, CredentialChanges, CurrentPrincipal, type Principal, UNRESTRICTED } from '@kcloud/common';
import { GracefulShutdown } from '@kcloud/realtime';
import { map, merge, type Observable, takeUntil } from 'rxjs';
import { PowerGroupBy } from '../models/power-group-by.enum';
import { DEFAULT_INTERVAL_SECONDS, PowerStreamHub } from './power-stream.hub';
import { StreamSlotGuard } from './stream-slot.guard';

/**
 * The live power stream as Server-Sent Events for curl users, at the seed's path:
 * `GET /api/v1/monitoring/stream/power?cluster=&groupBy=cluster|node|namespace|resource_type&intervalSeconds=5`.
 * Shares the GraphQL subscription's timers. A stream holds one of its key's MAX_CONNECTIONS_PER_KEY slots (shared with
 * graphql-ws connections) and one MAX_SUBSCRIPTIONS_PER_KEY slot (shared with graphql-ws operations, across replicas
 * with Redis) while it is open (StreamSlotGuard), and ends when its key is revoked, rotated, narrowed or expires.
 */
@Controller('api/v1/monitoring')
export class PowerStreamController {
  constructor(
    private readonly hub: PowerStreamHub,
    private readonly credentials: CredentialChanges,
    private readonly shutdown: GracefulShutdown,
  ) {}

  @Sse('stream/power')
  @UseGuards(StreamSlotGuard)
  @ApiTags('monitoring')
  @ApiOperation({
    summary:
      'Live power snapshots (Server-Sent Events; a plain WebSocket on the same path gets the same snapshots)',
    description:
      'One `power` event per interval, scoped to the key. Holds one MAX_CONNECTIONS_PER_KEY and one ' +
      'MAX_SUBSCRIPTIONS_PER_KEY slot while open; ends when the key is revoked, rotated, narrowed or expires. ' +
      'Viewers may not subscribe (403). WebSocket: `ws://…/api/v1/monitoring/stream/power` with the same query ' +
      'and the same credentials (`Authorization` or `X-API-Key` on the upgrade request); each message is one snapshot as JSON.',
  })
  @ApiQuery({ name: 'cluster', required: false, description: 'One cluster; default: all in scope' })
  @ApiQuery({ name: 'groupBy', required: false, enum: ['cluster', 'node', 'namespace', 'resource_type'] })
  @ApiQuery({ name: 'intervalSeconds', required: false, type: Number, description: '1–300, default 5' })
  @ApiProduces('text/event-stream')
  @ApiResponse({
    status: 200,
    description: '`event: power` / `data: <PowerSnapshot JSON>` every interval',
    schema: { type: 'string' },
  })
  @ApiResponse({
    status: 429,
    description: 'The key holds MAX_CONNECTIONS_PER_KEY or MAX_SUBSCRIPTIONS_PER_KEY already',
  })
  stream(
    @Query('cluster') cluster: string | undefined,
    @Query('groupBy') groupBy: string | undefined,
    @Query('intervalSeconds') interval: string | undefined,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Observable<MessageEvent> {
    const args = {
      cluster: cluster || undefined,
      groupBy: parseGroupBy(groupBy),
      intervalSeconds: parseInterval(interval),
    };
    // The stream ends when the caller's grant does (key revoked, rotated or narrowed by a reload, or expired), and
    // when the process drains on SIGTERM.
    return this.hub.observe(args, principal?.scope ?? UNRESTRICTED).pipe(
      takeUntil(merge(this.credentials.revoked(principal), this.shutdown.draining$)),
      map((snapshot) => ({ id: String(snapshot.sequence), type: 'power', data: snapshot })),
    );
  }
}

export function parseGroupBy(raw: string | undefined): PowerGroupBy {
  if (raw === undefined || raw === '') return PowerGroupBy.CLUSTER;
  const normalised = raw.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  if ((Object.values(PowerGroupBy) as string[]).includes(normalised)) return normalised as PowerGroupBy;
  throw badInput(
    'groupBy',
    `groupBy must be one of cluster, node, namespace, resource_type (got '${raw.slice(0, 40)}')`,
  );
}

export function parseInterval(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_INTERVAL_SECONDS;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(value))
    throw badInput('intervalSeconds', 'intervalSeconds must be a whole number between 1 and 300');
  return value;
}
