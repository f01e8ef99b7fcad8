import { hostname } from 'node:os';
import { Option } from 'commander';
import { UserError } from '../cli-support.js';
import { CertificateError, loadServerCertificate, type ServerCertificate } from '../tls/certificate.js';
import { dataDirectoryOf } from './store-access.js';

/** The operator's certificate, or the server's self-signed one beside the database. */
export async function certificateFor(options: {
  db: string;
  tlsCert?: string;
  tlsKey?: string;
}): Promise<ServerCertificate> {
  try {
    return await loadServerCertificate({
      certFile: options.tlsCert,
      keyFile: options.tlsKey,
      dataDirectory: dataDirectoryOf(options.db),
      hostname: hostname(),
    });
  } catch (error) {
    if (error instanceof CertificateError) throw new UserError(error.message);
    throw error;
  }
}

/** --tls-cert and --tls-key, for the server and for `tls fingerprint`. */
export function tlsFileOptions(): Option[] {
  return [
    new Option(
      '--tls-cert <FILE>',
      'PEM certificate (chain) to offer (default: a self-signed one beside the database)',
    ).env('CHECKERS_TLS_CERT'),
    new Option('--tls-key <FILE>', 'PEM private key of --tls-cert').env('CHECKERS_TLS_KEY'),
  ];
}
