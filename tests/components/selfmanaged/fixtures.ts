/**
 * Fixtures of the self-managed cluster's document tests: a real CA certificate (a throwaway
 * ECDSA P-256 one made with openssl for these tests; its key is not kept), so `caCertHashes` is
 * computed from a real SubjectPublicKeyInfo, and placeholder keys elsewhere.
 */
import type { ControlPlanePki } from "@kubeplat/components/internal/selfmanaged/kubeadmDocuments";
import { OFFLINE_CERT_PEM } from "@kubeplat/components/internal/testing/cloudMocks";

/** The offline mocks' throwaway CA certificate (components/src/testing/cloudMocks.ts), one copy. */
export const TEST_CA_CERT = OFFLINE_CERT_PEM;

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
