/**
 * dcgm-exporter's `err_msg` for an XID code (internal/pkg/collector/xid_errors.go, after NVIDIA's XID catalogue), for
 * the codes the simulator is asked to inject; the exporter prints "Unknown Error" outside its table, and so does this.
 */
const XID_TEXT: Readonly<Record<number, string>> = {
  0: 'No Error',
  8: 'GPU stopped processing',
  13: 'Graphics Engine Exception',
  31: 'GPU memory page fault',
  32: 'Invalid or corrupted push buffer stream',
  43: 'GPU stopped processing',
  45: 'Preemptive cleanup, due to previous errors -- Most likely to see when running multiple cuda',
  48: 'Double Bit ECC Error',
  61: 'Internal micro-controller breakpoint/warning',
  62: 'Internal micro-controller halt',
  63: 'ECC page retirement or row remapping recording event',
  64: 'ECC page retirement or row remapper recording failure',
  68: 'NVDEC0 Exception',
  69: 'Graphics Engine class error',
  74: 'NVLINK Error',
  79: 'GPU has fallen off the bus',
  92: 'High single-bit ECC error rate',
  94: 'Contained ECC error',
  95: 'Uncontained ECC error',
  119: 'GSP RPC Timeout',
  120: 'GSP Error',
  140: 'Unrecovered ECC Error',
};

export function xidText(xid: number): string {
  return XID_TEXT[xid] ?? 'Unknown Error';
}
