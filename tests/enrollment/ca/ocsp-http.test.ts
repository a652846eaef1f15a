/**
 * `ocspHttpHandler` on node:http (RFC 6960 appendix A): POST application/ocsp-request, GET with
 * the request in base64 in the path, and the HTTP errors around them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ocspHttpHandler } from '../../../src/enrollment/ca/index.js';
import { toBase64 } from '../../../src/lib/bytes.js';

let server: Server;
let url: string;
const seen: Uint8Array[] = [];
const ANSWER = new Uint8Array([0x30, 0x03, 0x0a, 0x01, 0x01]);

beforeAll(async () => {
  const handler = ocspHttpHandler(async (request) => {
    seen.push(request);
    return ANSWER;
  });
  server = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('ocspHttpHandler', () => {
  it('takes a POSTed request and answers application/ocsp-response', async () => {
    const body = new Uint8Array([0x30, 0x02, 0x30, 0x00]);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/ocsp-request' },
      body,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/ocsp-response');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(ANSWER);
    expect(seen.at(-1)).toEqual(body);
  });

  it('takes GET /<url-encoded base64 of the request>', async () => {
    const request = new Uint8Array([0x30, 0x03, 0xfb, 0xff, 0xfe]); // base64 with + and /
    const path = encodeURIComponent(toBase64(request));
    const response = await fetch(`${url}/${path}`);
    expect(response.status).toBe(200);
    expect(seen.at(-1)).toEqual(request);
  });

  it('answers other methods 405, other types 415, bad paths 400, large bodies 413', async () => {
    expect((await fetch(url, { method: 'PUT', body: 'x' })).status).toBe(405);
    const post = (type: string, body: Uint8Array<ArrayBuffer> | string) =>
      fetch(url, { method: 'POST', headers: { 'Content-Type': type }, body });
    expect((await post('application/json', '{}')).status).toBe(415);
    expect((await post('application/ocsp-request', new Uint8Array(16_385))).status).toBe(413);
    expect((await fetch(`${url}/not%20base64`)).status).toBe(400);
    expect((await fetch(`${url}/`)).status).toBe(400);
  });

  it('answers 400, and does not throw, when the request body fails midway', async () => {
    const handler = ocspHttpHandler(async () => ANSWER);
    const response = { statusCode: 0, setHeader: () => undefined, end: () => undefined };
    const request = {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request' },
      // biome-ignore lint/correctness/useYield: a body that fails before its first chunk
      async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
        throw new Error('socket hang up');
      },
    };
    await handler(request, response);
    expect(response.statusCode).toBe(400);
  });
});
