/**
 * The discovery pin of kubeadm (--discovery-token-ca-cert-hash): "sha256:" + hex sha256 of the
 * CA certificate's DER-encoded SubjectPublicKeyInfo -- what the guide computes with
 * `openssl x509 -pubkey | openssl rsa -pubin -outform der | sha256sum`. On the controller, pure.
 */
import { createHash, X509Certificate } from 'node:crypto';

export function caCertHash(pem: string): string {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (e) {
    throw new Error(`ca_cert is not a PEM certificate: ${(e as Error).message}`);
  }
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}
