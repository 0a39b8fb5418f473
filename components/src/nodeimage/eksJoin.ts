/**
 * How an ostree node joins an EKS cluster: a kubelet kubeconfig that authenticates with the
 * node's IAM role through the exec credential plugin `aws-iam-authenticator token -i <cluster>`
 * (Amazon EKS user guide: Grant IAM users access to Kubernetes with EKS access entries — nodes
 * are an `EC2_LINUX` access entry of the node role; aws-iam-authenticator README: "kubeconfig").
 * No token is in it: the credentials are the instance profile's, so the document holds no secret.
 *
 * The image must ship the kubelet, containerd and `aws-iam-authenticator`; EKS names nodes by
 * the instance's private DNS name, which is the hostname the AWS DHCP options give.
 */

import { stringify } from "yaml";

export const AWS_IAM_AUTHENTICATOR = "/usr/bin/aws-iam-authenticator";

export interface EksJoin {
  clusterName: string;
  /** The API server endpoint, `https://…`. */
  apiServer: string;
  /** The cluster CA as EKS gives it: base64 of the PEM (`certificateAuthority.data`). */
  certificateAuthorityData: string;
}

/** The CA certificate, PEM, from EKS's base64 `certificateAuthority.data`. */
export function eksCaPem(certificateAuthorityData: string): string {
  return Buffer.from(certificateAuthorityData, "base64").toString("utf8");
}

/** The kubelet's kubeconfig for EKS (exec credential plugin, client.authentication.k8s.io/v1beta1). */
export function eksKubeletKubeconfig(join: EksJoin): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: join.clusterName,
        cluster: { server: join.apiServer, "certificate-authority-data": join.certificateAuthorityData },
      },
    ],
    users: [
      {
        name: "kubelet",
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: AWS_IAM_AUTHENTICATOR,
            args: ["token", "-i", join.clusterName],
          },
        },
      },
    ],
    contexts: [{ name: "kubelet", context: { cluster: join.clusterName, user: "kubelet" } }],
    "current-context": "kubelet",
  });
}

/** What ignitionConfig takes as `kubeconfig` for an EKS node. */
export function eksKubeconfigInput(join: EksJoin): { kubeconfig: string; caCertificate: string } {
  return { kubeconfig: eksKubeletKubeconfig(join), caCertificate: eksCaPem(join.certificateAuthorityData) };
}
