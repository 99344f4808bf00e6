export interface GraphQLResponse<T> {
  readonly data?: T;
  readonly errors?: readonly {
    message: string;
    path?: readonly (string | number)[];
    extensions?: Record<string, unknown>;
  }[];
}

/** POSTs a GraphQL operation as JSON and returns the HTTP response as it came (for suites that read headers). */
export function postGraphql(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
}

/** POSTs a GraphQL operation and returns the parsed body (HTTP errors are returned as bodies too). */
export async function gql<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T> & { status: number }> {
  const res = await postGraphql(baseUrl, query, variables, headers);
  const body = (await res.json()) as GraphQLResponse<T>;
  return { ...body, status: res.status };
}
