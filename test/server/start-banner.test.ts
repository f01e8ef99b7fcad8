import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { browserUrl, metricsUrl } from '../../src/server/start-banner.js';

describe('the addresses printed at start', () => {
  it('a server on every interface is opened as localhost; a given address as it is, IPv6 in brackets', () => {
    assert.equal(browserUrl({ listenAddress: undefined, port: 8864, httpsOnly: false }), 'http://localhost:8864/');
    assert.equal(browserUrl({ listenAddress: '0.0.0.0', port: 8864, httpsOnly: false }), 'http://localhost:8864/');
    assert.equal(browserUrl({ listenAddress: '::', port: 8864, httpsOnly: false }), 'http://localhost:8864/');
    assert.equal(browserUrl({ listenAddress: '192.0.2.7', port: 80, httpsOnly: false }), 'http://192.0.2.7:80/');
    assert.equal(browserUrl({ listenAddress: '::1', port: 8864, httpsOnly: false }), 'http://[::1]:8864/');
  });

  it('https when plain connections are refused', () => {
    assert.equal(browserUrl({ listenAddress: undefined, port: 8864, httpsOnly: true }), 'https://localhost:8864/');
  });

  it('the metrics path on the metrics listener', () => {
    assert.equal(metricsUrl({ host: '127.0.0.1', port: 9464 }), 'http://127.0.0.1:9464/metrics');
    assert.equal(metricsUrl({ host: '0.0.0.0', port: 9464 }), 'http://localhost:9464/metrics');
  });
});
