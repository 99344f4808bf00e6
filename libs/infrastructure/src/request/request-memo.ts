/**
 * One value per request, keyed by the request's GraphQL context object: created on first use, shared by every
 * resolver of that request, and dropped with the request (a WeakMap, so nothing outlives it).
 */
export class RequestMemo<T> {
  private readonly byRequest = new WeakMap<object, T>();

  of(request: object, create: () => T): T {
    let value = this.byRequest.get(request);
    if (value === undefined) {
      value = create();
      this.byRequest.set(request, value);
    }
    return value;
  }
}
