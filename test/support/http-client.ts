import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One HTTP(S) request to 127.0.0.1 (no keep-alive), bounded in time; `ca` makes it HTTPS trusting that certificate. */
export function httpFetch(
  port: number,
  path: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    ca?: string;
    /** Another 127.x.y.z: another client address to the server. */
    localAddress?: string;
  } = {},
): Promise<HttpAnswer> {
  const common = {
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    host: '127.0.0.1',
    port,
    path,
    method: options.method ?? 'GET',
    headers: { Connection: 'close', ...options.headers },
    agent: false as const,
    timeout: 5000,
  };
  return new Promise((resolve, reject) => {
    const onResponse = (response: import('node:http').IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    };
    const request = options.ca
      ? httpsRequest({ ...common, ca: options.ca, servername: 'localhost' }, onResponse)
      : httpRequest(common, onResponse);
    request.on('timeout', () => request.destroy(new Error(`no answer to ${path} within 5 s`)));
    request.on('error', reject);
    request.end(options.body);
  });
}
