/**
 * Fixtures of the self-managed cluster's document tests: a real CA certificate (a throwaway
 * ECDSA P-256 one made with openssl for these tests; its key is not kept), so `caCertHashes` is
 * computed from a real SubjectPublicKeyInfo, and placeholder keys elsewhere.
 */
import type { ControlPlanePki } from "@kubeplat/components/internal/selfmanaged/kubeadmDocuments";

export const TEST_CA_CERT = `-----BEGIN CERTIFICATE-----
MIIBkTCCATegAwIBAgIUOH1LBD4M2ssvCrJ9uUjTPCOMtbgwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKa3ViZXJuZXRlczAgFw0yNjExMjgwMTU3MTVaGA8yMTI2MTEw
NDAxNTcxNVowFTETMBEGA1UEAwwKa3ViZXJuZXRlczBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABNhAd0/wJdpc3bA4mh1veFpJSV3odjOWSY+CqXerTbIfkJqOlviO
C0SVmeg8rUIJajid2ubjv9Y6Dhc5vT0+Vy6jYzBhMB0GA1UdDgQWBBQXXgjsBWyI
5lYkN/qXSGPA1HMsxjAfBgNVHSMEGDAWgBQXXgjsBWyI5lYkN/qXSGPA1HMsxjAP
BgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBhjAKBggqhkjOPQQDAgNIADBF
AiEAgn4dYuDTgqtjvpDeROPoQPsk3b/pAGG53mHmmMzc2C8CIEozl/McXAVDyKAH
ufvmLmT4wslGXgm9CYU2exEChds7
-----END CERTIFICATE-----
`;

/** `openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256` of TEST_CA_CERT. */
export const TEST_CA_HASH = "sha256:0d379003ca2084779f2fd1268db78596c0ecab3add234738494da1ccda344366";

const key = (what: string) => `-----BEGIN PRIVATE KEY-----\nplaceholder-${what}\n-----END PRIVATE KEY-----\n`;

export const TEST_PKI: ControlPlanePki = {
  caCert: TEST_CA_CERT,
  caKey: key("ca"),
  frontProxyCaCert: TEST_CA_CERT,
  frontProxyCaKey: key("front-proxy-ca"),
  etcdCaCert: TEST_CA_CERT,
  etcdCaKey: key("etcd-ca"),
  serviceAccountKey: key("sa"),
  serviceAccountPub: "-----BEGIN PUBLIC KEY-----\nplaceholder-sa\n-----END PUBLIC KEY-----\n",
};

export const TEST_BOOTSTRAP_TOKEN = "abcdef.0123456789abcdef";
/** base64 of 32 zero bytes. */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32).toString("base64");
