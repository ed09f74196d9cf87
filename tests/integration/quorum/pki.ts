/**
 * A throwaway test CA and Ed25519 certificates, made at test time with the openssl command line (installed
 * with apt when missing and we are root). Agents' certificates are their identity keys; the aggregator's
 * carries IP:127.0.0.1 so node:tls verifies it by address.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Issued {
  readonly cert: string;
  readonly key: string;
  readonly certPath: string;
  readonly keyPath: string;
}

export interface TestPki {
  readonly dir: string;
  readonly ca: string;
  readonly caPath: string;
  issue(name: string): Issued;
}

function ensureOpenssl(): void {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    if (process.getuid?.() !== 0) throw new Error('openssl is missing and we are not root to install it');
    execFileSync('apt-get', ['install', '-y', 'openssl'], { stdio: 'ignore' });
  }
}

const openssl = (dir: string, args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
};

export function makeTestPki(dir: string): TestPki {
  ensureOpenssl();
  openssl(dir, ['genpkey', '-algorithm', 'ed25519', '-out', 'ca.key']);
  openssl(dir, [
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-subj',
    '/CN=hrng quorum test CA',
    '-days',
    '2',
    '-out',
    'ca.crt',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  ]);
  writeFileSync(
    join(dir, 'leaf.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n',
  );
  const caPath = join(dir, 'ca.crt');
  return {
    dir,
    ca: readFileSync(caPath, 'utf8'),
    caPath,
    issue(name: string): Issued {
      const keyPath = join(dir, `${name}.key`);
      const certPath = join(dir, `${name}.crt`);
      openssl(dir, ['genpkey', '-algorithm', 'ed25519', '-out', `${name}.key`]);
      openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`]);
      openssl(dir, [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-set_serial',
        `0x${Buffer.from(name).toString('hex').slice(0, 30)}`,
        '-days',
        '2',
        '-extfile',
        'leaf.ext',
        '-out',
        `${name}.crt`,
      ]);
      return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath, keyPath };
    },
  };
}
