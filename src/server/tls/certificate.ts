import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { generate } from 'selfsigned';
import { type Clock, systemClock } from '../clock.js';

/** The certificate the server offers, and its SHA-256 fingerprint (what clients pin on first use). */
export interface ServerCertificate {
  readonly cert: string;
  readonly key: string;
  /** "AB:CD:..." as `openssl x509 -fingerprint -sha256` prints it. */
  readonly fingerprint: string;
  readonly fingerprintBytes: Uint8Array;
  readonly certFile: string;
  /** True when this call created it. */
  readonly created: boolean;
}

/** A problem the operator can fix; the message says how. */
export class CertificateError extends Error {}

export const GENERATED_CERT_FILE = 'tls-cert.pem';
export const GENERATED_KEY_FILE = 'tls-key.pem';

export function fingerprintOf(certPem: string): { text: string; bytes: Uint8Array } {
  const text = new X509Certificate(certPem).fingerprint256;
  return { text, bytes: Uint8Array.from(text.split(':').map((pair) => Number.parseInt(pair, 16))) };
}

function read(file: string, option: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CertificateError(`cannot read ${option} ${file}: ${(error as Error).message}`);
  }
}

/**
 * The operator's certificate (`--tls-cert`, `--tls-key`), or the server's own
 * self-signed one in its data directory, created on first use (key readable
 * by the owner only) and reused afterwards.
 */
export async function loadServerCertificate(options: {
  certFile?: string | undefined;
  keyFile?: string | undefined;
  dataDirectory: string;
  hostname: string;
  /** When a self-signed certificate made now begins (its validity runs from it); the system's clock unless given. */
  clock?: Clock;
}): Promise<ServerCertificate> {
  const { certFile, keyFile } = options;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new CertificateError(
      '--tls-cert and --tls-key go together: pass both, or neither for a self-signed certificate',
    );
  }
  let cert: string;
  let key: string;
  let file: string;
  let created = false;
  if (certFile !== undefined && keyFile !== undefined) {
    cert = read(certFile, '--tls-cert');
    key = read(keyFile, '--tls-key');
    file = certFile;
  } else {
    file = join(options.dataDirectory, GENERATED_CERT_FILE);
    const generatedKey = join(options.dataDirectory, GENERATED_KEY_FILE);
    if (existsSync(file) && existsSync(generatedKey)) {
      cert = read(file, 'the certificate');
      key = read(generatedKey, 'the key');
    } else {
      ({ cert, key } = await selfSigned(options.hostname, (options.clock ?? systemClock).now()));
      try {
        mkdirSync(options.dataDirectory, { recursive: true });
        writeFileSync(generatedKey, key, { mode: 0o600 });
        chmodSync(generatedKey, 0o600);
        writeFileSync(file, cert, { mode: 0o644 });
      } catch (error) {
        throw new CertificateError(
          `cannot write the TLS certificate in ${options.dataDirectory}: ${(error as Error).message}; pass --db in a writable directory, or --tls-cert and --tls-key`,
        );
      }
      created = true;
    }
  }
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new CertificateError(
      `the TLS certificate and key cannot be used together (${(error as Error).message}); check ${file} and its key`,
    );
  }
  let fingerprint: { text: string; bytes: Uint8Array };
  try {
    fingerprint = fingerprintOf(cert);
  } catch (error) {
    throw new CertificateError(`${file} is not a PEM certificate: ${(error as Error).message}`);
  }
  return { cert, key, fingerprint: fingerprint.text, fingerprintBytes: fingerprint.bytes, certFile: file, created };
}

/** An ECDSA P-256 certificate for ten years: cheap handshakes, and nothing to renew for a LAN server. */
async function selfSigned(hostname: string, now: number): Promise<{ cert: string; key: string }> {
  const result = await generate([{ name: 'commonName', value: hostname }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 3650 * 86_400_000),
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: hostname },
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: result.cert, key: result.private };
}
