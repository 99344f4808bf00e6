/** One instant-query sample as the joins read it: its labels and value. */
export interface PromSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}
