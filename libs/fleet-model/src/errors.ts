/** Codes follow the project's error vocabulary (libs/common) so the server can map them to HTTP statuses. */
export type FleetModelErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND';

export class FleetModelError extends Error {
  constructor(
    readonly code: FleetModelErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FleetModelError';
  }
}
