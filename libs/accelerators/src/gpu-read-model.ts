// The per-snapshot memo moved to @kcloud/common (read-model) so the infrastructure lists use it too.
export { SnapshotMemo } from '@kcloud/common';
