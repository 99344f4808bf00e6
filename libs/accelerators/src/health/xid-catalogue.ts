/** How a GPU with this XID as its last error is judged. */
export type XidSeverity = 'CRITICAL' | 'WARNING';

export interface XidEntry {
  /** dcgm-exporter's `err_msg` text (internal/pkg/collector/xid_errors.go, after NVIDIA's XID catalogue). */
  readonly description: string;
  readonly severity: XidSeverity;
}

/**
 * The XIDs this service names, with NVIDIA's recommended handling folded into a severity: CRITICAL when the catalogue
 * asks for a GPU reset, node drain or RMA (hardware or driver state lost), WARNING when the fault is the
 * application's or recoverable in place. An XID outside this table is a WARNING described "Unknown XID".
 */
export const XID_CATALOGUE: ReadonlyMap<number, XidEntry> = new Map<number, XidEntry>([
  [8, { description: 'GPU stopped processing', severity: 'WARNING' }],
  [13, { description: 'Graphics Engine Exception', severity: 'WARNING' }],
  [31, { description: 'GPU memory page fault', severity: 'WARNING' }],
  [32, { description: 'Invalid or corrupted push buffer stream', severity: 'WARNING' }],
  [43, { description: 'GPU stopped processing', severity: 'WARNING' }],
  [
    45,
    {
      description:
        'Preemptive cleanup, due to previous errors -- Most likely to see when running multiple cuda',
      severity: 'WARNING',
    },
  ],
  [48, { description: 'Double Bit ECC Error', severity: 'CRITICAL' }],
  [61, { description: 'Internal micro-controller breakpoint/warning', severity: 'WARNING' }],
  [62, { description: 'Internal micro-controller halt', severity: 'CRITICAL' }],
  [63, { description: 'ECC page retirement or row remapping recording event', severity: 'WARNING' }],
  [64, { description: 'ECC page retirement or row remapper recording failure', severity: 'CRITICAL' }],
  [68, { description: 'NVDEC0 Exception', severity: 'WARNING' }],
  [69, { description: 'Graphics Engine class error', severity: 'WARNING' }],
  [74, { description: 'NVLINK Error', severity: 'CRITICAL' }],
  [79, { description: 'GPU has fallen off the bus', severity: 'CRITICAL' }],
  [92, { description: 'High single-bit ECC error rate', severity: 'WARNING' }],
  [94, { description: 'Contained ECC error', severity: 'WARNING' }],
  [95, { description: 'Uncontained ECC error', severity: 'CRITICAL' }],
  [119, { description: 'GSP RPC Timeout', severity: 'CRITICAL' }],
  [120, { description: 'GSP Error', severity: 'CRITICAL' }],
  [140, { description: 'Unrecovered ECC Error', severity: 'CRITICAL' }],
  [143, { description: 'GPU Initialization Failure', severity: 'CRITICAL' }],
]);

/** The catalogue entry of a non-zero XID; unknown codes are warnings (something happened, its weight is unknown). */
export function xidEntry(xid: number): XidEntry {
  return XID_CATALOGUE.get(xid) ?? { description: 'Unknown XID', severity: 'WARNING' };
}
